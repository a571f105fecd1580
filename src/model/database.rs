//! A database tier: one shared pool of FCFS servers behind an option's web
//! instances, with its own capacity and price (`[[database]]`).

use super::option::BareMetal;
use crate::catalog::rds::Engine;
use crate::time::{HOURS_PER_MONTH, SimTime};

/// The database an option names. Options naming the same `[[database]]`
/// each get their own instance of it (they are alternatives, not co-tenants).
#[derive(Clone, Debug, PartialEq)]
pub struct Database {
    /// The `[[database]]` table's name.
    pub name: String,
    /// FCFS servers (cores or vCPUs) of the primary; each replica has as many.
    pub servers: u32,
    /// Connections the database accepts in all, if limited.
    pub max_connections: Option<u32>,
    /// Where it runs (canonical name), when not in its option's region.
    pub region: Option<String>,
    /// Round trip between the web instances and the database, when given
    /// (else from the regions: see `rtt_from`).
    pub rtt: Option<SimTime>,
    pub kind: DatabaseKind,
}

/// How the database is bought, as written (prices resolved in the option's region).
#[derive(Clone, Debug, PartialEq)]
pub enum DatabaseKind {
    /// On a server or VPS of the user's: `plan` names a VPS plan whose
    /// price it is; `server` an owned server (capex, colo, power) billed on
    /// top of `monthly_usd` (then 0 unless given).
    SelfHosted {
        plan: Option<String>,
        monthly_usd: f64,
        server: Option<BareMetal>,
    },
    Managed(Managed),
    /// A Heroku Postgres plan.
    Paas {
        plan: String,
        monthly_usd: f64,
    },
}

/// An RDS-like instance with storage, an optional standby and read replicas.
#[derive(Clone, Debug, PartialEq)]
pub struct Managed {
    pub engine: Engine,
    /// The catalog class (`db.m5.large`), or `None` when `hourly_usd` was given.
    pub instance_class: Option<String>,
    /// One Single-AZ instance.
    pub hourly_usd: f64,
    /// The instance with its standby: the catalog's Multi-AZ price, or twice `hourly_usd`.
    pub multi_az_hourly_usd: Option<f64>,
    pub storage_gb: f64,
    /// Per GB-month of one copy (Single-AZ); a Multi-AZ primary pays it twice.
    pub storage_usd_per_gb_month: f64,
    /// True when the scenario gave the storage price (else the region's gp3).
    pub storage_price_given: bool,
    /// Replicas taking read queries, each priced and sized as the primary's Single-AZ instance.
    pub read_replicas: u32,
    /// The share of queries that are reads (they go to the replicas when there are any).
    pub read_share: f64,
}

/// Web instances and their database in one region: a round trip of 1 ms.
pub const SAME_REGION_RTT: SimTime = SimTime(1_000);

impl Database {
    /// The round trip from web instances in `option_region`: as given, else
    /// the network's between the two regions when it runs elsewhere, else 1 ms.
    pub fn rtt_from(&self, option_region: &str, network: &super::Network) -> SimTime {
        match (self.rtt, &self.region) {
            (Some(rtt), _) => rtt,
            (None, Some(r)) if r != option_region => {
                network.rtt_ms(option_region, r).map_or(SAME_REGION_RTT, |ms| SimTime::from_secs_f64(ms / 1e3))
            }
            _ => SAME_REGION_RTT,
        }
    }

    /// Read replicas beside the primary (managed databases only).
    pub fn read_replicas(&self) -> u32 {
        match &self.kind {
            DatabaseKind::Managed(m) => m.read_replicas,
            _ => 0,
        }
    }

    /// The utilisation of its busier part (primary or replicas) when
    /// queries bring `busy` servers' worth of work, reads spread over the replicas.
    pub fn busiest(&self, busy: f64) -> f64 {
        let servers = f64::from(self.servers);
        match (self.read_replicas(), &self.kind) {
            (n, DatabaseKind::Managed(m)) if n > 0 => {
                ((1.0 - m.read_share) * busy / servers).max(m.read_share * busy / (servers * f64::from(n)))
            }
            _ => busy / servers,
        }
    }

    /// The utilisation of the primary and of its replicas (as a group; 0
    /// without any): busy server-time of each over its server-time in `len_us`.
    pub fn parts_utilization(&self, primary_busy_us: u64, replica_busy_us: u64, len_us: f64) -> (f64, f64) {
        let servers = f64::from(self.servers) * len_us;
        let replicas = match self.read_replicas() {
            0 => 0.0,
            n => replica_busy_us as f64 / (servers * f64::from(n)),
        };
        (primary_busy_us as f64 / servers, replicas)
    }

    /// The busier of the primary and its replicas (as a group).
    pub fn utilization(&self, primary_busy_us: u64, replica_busy_us: u64, len_us: f64) -> f64 {
        let (primary, replicas) = self.parts_utilization(primary_busy_us, replica_busy_us, len_us);
        primary.max(replicas)
    }

    /// What the database costs per hour: instances, standby and storage.
    pub fn usd_per_hour(&self) -> f64 {
        let month_h = HOURS_PER_MONTH as f64;
        match &self.kind {
            // An owned server's capex, colo and power are billed by its model, from its load.
            DatabaseKind::SelfHosted { monthly_usd, .. } | DatabaseKind::Paas { monthly_usd, .. } => {
                monthly_usd / month_h
            }
            DatabaseKind::Managed(m) => {
                let storage_h = m.storage_gb * m.storage_usd_per_gb_month / month_h;
                let primary = match m.multi_az_hourly_usd {
                    Some(both) => both + 2.0 * storage_h,
                    None => m.hourly_usd + storage_h,
                };
                primary + f64::from(m.read_replicas) * (m.hourly_usd + storage_h)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_bill_by_hand() {
        // db.m5.large PostgreSQL in us-east-1 (2024-09-28): $0.178/h Single-AZ, $0.356/h Multi-AZ;
        // gp3 $0.115/GB-month a copy. Multi-AZ with 100 GB and one replica, per 730-h month:
        // primary 730 × $0.356 = $259.88, its storage 2 × 100 × $0.115 = $23.00,
        // replica 730 × $0.178 = $129.94 and its storage 100 × $0.115 = $11.50: $424.32.
        let m = Managed {
            engine: Engine::Postgresql,
            instance_class: Some("db.m5.large".into()),
            hourly_usd: 0.178,
            multi_az_hourly_usd: Some(0.356),
            storage_gb: 100.0,
            storage_usd_per_gb_month: 0.115,
            storage_price_given: false,
            read_replicas: 1,
            read_share: 0.8,
        };
        let kind = DatabaseKind::Managed(m);
        let db = Database { name: "main".into(), servers: 2, max_connections: None, region: None, rtt: None, kind };
        assert!((db.usd_per_hour() * 730.0 - 424.32).abs() < 1e-9, "{}", db.usd_per_hour() * 730.0);
        // A Heroku Postgres standard-0: $50 a month, $50 / 730 an hour.
        let paas = Database { kind: DatabaseKind::Paas { plan: "standard-0".into(), monthly_usd: 50.0 }, ..db };
        assert!((paas.usd_per_hour() - 50.0 / 730.0).abs() < 1e-12);
    }
}
