//! What a status change does besides changing the status: the time so far is billed at the old
//! rate, the hostnode takes back or hands out the VM's compute, and a VM that gets its compute
//! back starts a new ledger instance. Shared by the power endpoints and the admin status knobs,
//! so a status set by hand behaves like one reached through the API.

use time::OffsetDateTime;

use super::state::{RentalStatus, State, VmStatus};

/// The hostnode no longer has the GPUs, vCPUs or RAM to give a VM its compute back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoRoom;

impl State {
    /// Moves VM `index` to `next` as of `now`. Setting the status it already has changes nothing.
    pub fn set_vm_status(
        &mut self,
        index: usize,
        next: VmStatus,
        now: OffsetDateTime,
    ) -> Result<(), NoRoom> {
        let vm = &self.vms[index];
        if vm.status == next {
            return Ok(());
        }
        let compute = vm.resources.compute_only();
        let node_id = vm.hostnode_id;
        let regains = !vm.status.holds_compute() && next.holds_compute();
        let releases = vm.status.holds_compute() && !next.holds_compute();
        // Extra VMs take no capacity (extra_vms.rs), so they neither need nor give back any.
        let metered = vm.holds_capacity;
        if metered
            && regains
            && !self
                .hostnode(node_id)
                .is_some_and(|h| compute.fits_in(&h.free()))
        {
            return Err(NoRoom);
        }
        self.settle_vm(index, now, None);
        if let Some(node) = self.hostnode_mut(node_id).filter(|_| metered) {
            if regains {
                node.used = node.used.plus(&compute);
            } else if releases {
                node.used = node.used.minus(&compute);
            }
        }
        if regains {
            self.vms[index].instance_id = self.rng.uuid();
        }
        self.vms[index].status = next;
        Ok(())
    }

    /// Moves rental `index` to `next`. A rental is billed the same in every status until it is
    /// terminated, so there is nothing to settle. Leaving `Pending` for `Running` is a finished
    /// boot (the nodes are on); a `Pending` set here has no boot under way and lasts until the
    /// status is set again. Setting the status it already has changes nothing.
    pub fn set_rental_status(&mut self, index: usize, next: RentalStatus) {
        let r = &mut self.rentals[index];
        if r.status == next {
            return;
        }
        if r.status == RentalStatus::Pending && next == RentalStatus::Running {
            r.powered = true;
        }
        r.status = next;
        r.ready_at = None;
    }
}
