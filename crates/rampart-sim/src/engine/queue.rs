//! The event queue: actions ordered by (time, sequence number).
//!
//! Ties in time are broken by the order in which actions were scheduled, so a run's order of
//! events is fully deterministic.

use rampart_core::SimTime;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A time-ordered queue of actions of type `A`.
#[derive(Debug)]
pub struct Scheduler<A> {
    heap: BinaryHeap<Reverse<Entry<A>>>,
    next_seq: u64,
}

#[derive(Debug)]
struct Entry<A> {
    t: SimTime,
    seq: u64,
    action: A,
}

impl<A> PartialEq for Entry<A> {
    fn eq(&self, o: &Self) -> bool {
        (self.t, self.seq) == (o.t, o.seq)
    }
}
impl<A> Eq for Entry<A> {}
impl<A> PartialOrd for Entry<A> {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl<A> Ord for Entry<A> {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.t, self.seq).cmp(&(o.t, o.seq))
    }
}

impl<A> Default for Scheduler<A> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
            next_seq: 0,
        }
    }
}

impl<A> Scheduler<A> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }
    /// Schedules `action` at `t`.
    pub fn schedule(&mut self, t: SimTime, action: A) {
        self.heap.push(Reverse(Entry {
            t,
            seq: self.next_seq,
            action,
        }));
        self.next_seq += 1;
    }
    /// The time of the next action.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(e)| e.t)
    }
    /// Removes and returns the next action.
    pub fn pop(&mut self) -> Option<(SimTime, A)> {
        self.heap.pop().map(|Reverse(e)| (e.t, e.action))
    }
    /// Number of pending actions.
    pub fn len(&self) -> usize {
        self.heap.len()
    }
    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_ties_in_schedule_order() {
        let mut q = Scheduler::new();
        q.schedule(SimTime::from_nanos(5), "c");
        q.schedule(SimTime::from_nanos(1), "a");
        q.schedule(SimTime::from_nanos(5), "d");
        q.schedule(SimTime::from_nanos(3), "b");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, a)| a)).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }
}
