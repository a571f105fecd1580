//! What an option's database costs and emits in a bucket, from the load it
//! carried there: its hourly bill (instances, standby, storage; a plan or an
//! all-in monthly price), an owned server's capex, colo and power as bare
//! metal's, and the energy of its vCPUs (a standby's idle) or of its server.

use super::bare_metal::BareMetalModel;
use super::emissions::Emissions;
use super::{Hosting, Usage};
use crate::catalog::carbon::AWS_PUE;
use crate::catalog::instance_power::average_vcpu;
use crate::model::{Database, DatabaseKind};
use crate::time::SimTime;

/// How busy a database was in a bucket: server-time of its primary, and of its replicas together (µs).
#[derive(Clone, Copy, Debug, Default)]
pub struct Busy {
    pub primary_us: u64,
    pub replicas_us: u64,
}

/// The database's cost (USD) over [start, start + len) and its emissions
/// on `grid` (`None` when the grid is unknown), given how `busy` it was there.
pub fn bucket(db: &Database, grid: Option<f64>, start: SimTime, len: SimTime, busy: Busy) -> (f64, Option<Emissions>) {
    let replicas = db.read_replicas();
    let (primary, replica) = db.parts_utilization(busy.primary_us, busy.replicas_us, len.0 as f64);
    let (primary, replica) = (primary.min(1.0), replica.min(1.0));
    let mut usd = db.usd_per_hour() * len.as_hours_f64();
    if let DatabaseKind::SelfHosted { server: Some(spec), .. } = &db.kind {
        let model = BareMetalModel { spec: spec.clone(), grid_gco2e_per_kwh: grid };
        let usage = Usage { instances: 1.0, utilization: primary, served: 0 };
        usd += model.accrue(start, len, &usage, &[]).total_usd();
        return (usd, model.emissions(start, len, &usage, &[]));
    }
    // Each part's vCPUs at its load, a Multi-AZ standby's at idle.
    let standby = matches!(&db.kind, DatabaseKind::Managed(m) if m.multi_az_hourly_usd.is_some());
    let vcpu_hours = f64::from(db.servers) * len.as_hours_f64();
    let parts = [(1.0, primary), (f64::from(replicas), replica), (f64::from(u8::from(standby)), 0.0)];
    let watt_hours: f64 = parts.iter().map(|(n, u)| n * vcpu_hours * average_vcpu().at(*u)).sum();
    let all_vcpu_hours: f64 = parts.iter().map(|(n, _)| n * vcpu_hours).sum();
    (usd, grid.map(|g| Emissions::new(watt_hours, AWS_PUE, g, all_vcpu_hours)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BareMetal;

    fn self_hosted(server: Option<BareMetal>, monthly_usd: f64) -> Database {
        let kind = DatabaseKind::SelfHosted { plan: None, monthly_usd, server };
        Database { name: "main".into(), servers: 8, max_connections: None, region: None, rtt: None, kind }
    }

    #[test]
    fn an_owned_server_is_billed_as_bare_metal_from_its_load() {
        // An 8-core server bought for $7,300 over 3 years, $100 a month of colo,
        // 100 W idle and 300 W at full load at $0.20/kWh, half busy for a 730-hour month:
        // capex 7,300 × 730 / 26,280 = $202.78, colo $100, power 200 W × 730 h × $0.20 = $29.20.
        let draw = crate::model::Draw::Watts { idle_w: 100.0, max_w: 300.0, idle_w_per_core: 0.0, max_w_per_core: 0.0 };
        let power = crate::model::Power { idle_w: 100.0, max_w: 300.0, usd_per_kwh: 0.2, pue: 1.0, draw };
        let server = BareMetal {
            servers: 1,
            cores: 8,
            price_usd: 7_300.0,
            price_usd_per_core: 0.0,
            lifetime: SimTime(3 * SimTime::YEAR.0),
            setup_usd: 0.0,
            colo_usd_per_month: 100.0,
            labour_usd_per_month: 0.0,
            power: Some(power),
            failures: None,
        };
        let month = SimTime::MONTH;
        let half = Busy { primary_us: 8 * month.0 / 2, replicas_us: 0 };
        let (usd, e) = bucket(&self_hosted(Some(server), 0.0), Some(400.0), SimTime(1), month, half);
        let expected = 7_300.0 * 730.0 / 26_280.0 + 100.0 + 200.0 * 730.0 / 1_000.0 * 0.2;
        assert!((usd - expected).abs() < 1e-6, "{usd} vs {expected}");
        // 146 kWh at 400 g/kWh: 58,400 g operational.
        assert!((e.unwrap().operational_g - 146.0 * 400.0).abs() < 1e-6);
        // All in at $80 a month: $80, and its 8 vCPUs at the average vCPU's draw.
        let (usd, e) = bucket(&self_hosted(None, 80.0), Some(400.0), SimTime(1), month, half);
        assert!((usd - 80.0).abs() < 1e-9);
        let watts = 8.0 * average_vcpu().at(0.5);
        assert!((e.unwrap().operational_g - watts * 730.0 / 1_000.0 * AWS_PUE * 400.0).abs() < 1e-6);
    }
}
