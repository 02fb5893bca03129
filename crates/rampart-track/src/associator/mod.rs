//! Associators: which detection updates which track (GNN, JPDA).
//!
//! They work on plain numbers, not filter types: the hypothesiser gates detections to tracks and
//! hands over sparse `(track, detection, value)` triples — a cost for GNN, a measurement
//! likelihood for JPDA. Both split the triples into independent [`clusters`] and solve each one
//! on its own, so a scan costs little more than its number of gated pairs when clusters stay
//! small. Small clusters are solved densely; a cluster too large for a dense matrix is solved
//! over its pairs only (GNN: [`assignment::solve_sparse`]; JPDA: belief propagation with a
//! bounded number of sweeps), so memory never grows with a cluster's square.

/// Optimal rectangular assignment with forbidden pairs: shortest augmenting path, exact; dense
/// (O(n²m)) or sparse (over allowed pairs only).
pub mod assignment;
/// Independent clusters of tracks and detections linked by gated pairs (union–find); exact.
pub mod clusters;
/// Global nearest neighbour: the cheapest one-to-one association, misses at a price; exact.
pub mod gnn;
/// JPDA probabilities: exact up to 8 tracks × 10 detections a cluster, belief propagation beyond.
pub mod jpda;
