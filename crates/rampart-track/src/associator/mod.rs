//! Associators: which detection updates which track (GNN, JPDA).
//!
//! They work on plain numbers, not filter types: the hypothesiser gates detections to tracks and
//! hands over sparse `(track, detection, value)` triples — a cost for GNN, a measurement
//! likelihood for JPDA. Both split the triples into independent [`clusters`] and solve each one
//! densely, so a scan costs little more than its number of gated pairs when clusters stay small.

/// Optimal rectangular assignment with forbidden pairs: shortest augmenting path, exact, O(n²m).
pub mod assignment;
/// Independent clusters of tracks and detections linked by gated pairs (union–find); exact.
pub mod clusters;
/// Global nearest neighbour: the cheapest one-to-one association, misses at a price; exact.
pub mod gnn;
/// JPDA probabilities: exact up to 8 tracks × 10 detections a cluster, belief propagation beyond.
pub mod jpda;
