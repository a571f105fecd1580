//! The engine's side of spot interruptions. At its notice an instance takes
//! no new requests (it drains like a retired one); two minutes later it is
//! terminated: requests still in service on it fail, and the fleet launches
//! a replacement, as an EC2 Auto Scaling group replaces an interrupted spot
//! instance once it is terminated (without Capacity Rebalancing).

use crate::sim::engine::Job;
use crate::sim::event::Event;
use crate::sim::fleet::SPOT_NOTICE;
use crate::sim::replan::Change;

impl Job<'_> {
    /// Spot instance `id` has its interruption notice at `t`.
    pub(crate) fn spot_notice(&mut self, t_us: u64, id: u32) {
        let Some(fleet) = &mut self.fleet else { return };
        // Retired (scaled in) before its notice came: nothing to interrupt.
        let Some(serving) = fleet.interrupt(id, t_us) else { return };
        self.count_interruption(t_us);
        if serving {
            self.sync(t_us, &[id]);
        }
        self.events.schedule(t_us + SPOT_NOTICE.0, Event::SpotTerminated(id));
        self.capacity_changed(t_us);
    }

    /// Interrupted instance `id` is terminated at `t`: what it still serves
    /// fails, and a replacement is launched unless it was scaled in meanwhile.
    pub(crate) fn spot_terminated(&mut self, t_us: u64, id: u32) {
        let Some(fleet) = &mut self.fleet else { return };
        let replace = fleet.terminate(id);
        self.replan(t_us, &Change { down: vec![id], ..Change::default() });
        if replace {
            self.launch(t_us, 1);
        }
        self.capacity_changed(t_us);
    }
}
