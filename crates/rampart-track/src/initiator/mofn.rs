//! M-of-N confirmation (Blackman & Popoli, *Design and Analysis of Modern Tracking Systems*,
//! 1999, §6.2): a tentative track is confirmed once it has been updated on `m` of its first `n`
//! scans (its birth detection counts), and dropped if it has not been by its `n`-th scan.

/// What becomes of a tentative track after a scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tentative {
    /// Confirm it.
    Confirm,
    /// Keep waiting.
    Wait,
    /// Drop it.
    Drop,
}

/// M-of-N confirmation logic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MofNInitiator {
    /// Hits needed.
    pub m: u32,
    /// Within this many scans from birth.
    pub n: u32,
}

impl MofNInitiator {
    /// The decision for a tentative track with `hits` updates over `scans` scans since birth.
    pub fn decide(&self, hits: u32, scans: u32) -> Tentative {
        if hits >= self.m && scans <= self.n {
            Tentative::Confirm
        } else if scans >= self.n || hits + (self.n - scans.min(self.n)) < self.m {
            // Out of scans, or too few left to reach m.
            Tentative::Drop
        } else {
            Tentative::Wait
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_of_three() {
        let l = MofNInitiator { m: 2, n: 3 };
        assert_eq!(l.decide(1, 1), Tentative::Wait); // born
        assert_eq!(l.decide(2, 2), Tentative::Confirm); // hit on scan 2
        assert_eq!(l.decide(1, 2), Tentative::Wait); // missed scan 2, one left
        assert_eq!(l.decide(2, 3), Tentative::Confirm); // hit on scan 3
        assert_eq!(l.decide(1, 3), Tentative::Drop); // missed scans 2 and 3
        let strict = MofNInitiator { m: 3, n: 3 };
        assert_eq!(strict.decide(1, 2), Tentative::Drop); // one miss is already too many
    }
}
