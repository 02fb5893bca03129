//! Independent clusters of tracks and detections: the connected components of the bipartite
//! gating graph, found with union–find (union by size, path halving; Tarjan 1975).
//!
//! Two tracks that share no detection, directly or through a chain of other tracks, cannot
//! influence each other's association, so GNN and JPDA can solve each cluster on its own: the
//! dense work is then cubic in the *cluster* size, and the whole scan near-linear when gates are
//! small. Cost: O((T + D + P)·α) for T tracks, D detections and P pairs.

/// One connected component of the gating graph. Every index list is ascending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cluster {
    /// Track indices in this cluster.
    pub tracks: Vec<usize>,
    /// Detection indices in this cluster.
    pub detections: Vec<usize>,
    /// Indices into the `pairs` slice given to [`clusters`] of the pairs inside this cluster.
    pub pairs: Vec<usize>,
}

/// Splits tracks `0..n_tracks` and detections `0..n_detections`, linked by gated
/// `(track, detection)` pairs, into independent clusters.
///
/// The result is a partition: every track and every detection is in exactly one cluster, so
/// tracks and detections with no pair come back as singleton clusters (with no pairs). Pairs
/// with an index out of range are ignored (they appear in no cluster); duplicated pairs are all
/// listed. Order is deterministic: clusters are sorted by their smallest track, and clusters
/// without tracks follow, sorted by their detection.
pub fn clusters(n_tracks: usize, n_detections: usize, pairs: &[(usize, usize)]) -> Vec<Cluster> {
    clusters_of(n_tracks, n_detections, pairs.iter().copied())
}

/// The nodes (tracks 0..T, then detections), the union of every pair of `pairs` whose track
/// and detection exist, and the test of that.
fn joined(
    n_tracks: usize,
    n_detections: usize,
    pairs: impl Iterator<Item = (usize, usize)>,
) -> (usize, UnionFind, impl Fn(&(usize, usize)) -> bool) {
    let n = n_tracks.saturating_add(n_detections);
    let mut uf = UnionFind::new(n);
    let in_range = move |&(t, d): &(usize, usize)| t < n_tracks && d < n_detections;
    for p in pairs.filter(|p| in_range(p)) {
        uf.union(p.0, n_tracks + p.1);
    }
    (n, uf, in_range)
}

/// [`clusters`] of pairs given by an iterator, read twice (so a caller need not build a list
/// of them); `Cluster::pairs` are positions in the iteration.
pub fn clusters_of<I>(n_tracks: usize, n_detections: usize, pairs: I) -> Vec<Cluster>
where
    I: IntoIterator<Item = (usize, usize)>,
    I::IntoIter: Clone,
{
    let pairs = pairs.into_iter();
    let (n, mut uf, in_range) = joined(n_tracks, n_detections, pairs.clone());

    // Number clusters in order of their smallest node (tracks are nodes 0..T, detections T..).
    let mut id_of_root = vec![usize::MAX; n];
    let mut cluster_of = vec![0; n];
    let mut out: Vec<Cluster> = Vec::new();
    for (node, cluster) in cluster_of.iter_mut().enumerate() {
        let root = uf.find(node);
        if id_of_root[root] == usize::MAX {
            id_of_root[root] = out.len();
            out.push(Cluster::default());
        }
        let id = id_of_root[root];
        *cluster = id;
        if node < n_tracks {
            out[id].tracks.push(node);
        } else {
            out[id].detections.push(node - n_tracks);
        }
    }
    for (k, p) in pairs.enumerate() {
        if in_range(&p) {
            out[cluster_of[p.0]].pairs.push(k);
        }
    }
    out
}

/// The clusters that hold at least one pair — the only ones an associator solves — stored
/// flat: three index lists and where each cluster's part of them ends, rather than three
/// lists per cluster. A scan of 10,000 targets has tens of thousands of clusters, nearly all
/// of one track and one detection or of a detection alone; [`clusters`] allocates three lists
/// for each, which cost more than solving them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LinkedClusters {
    tracks: Vec<usize>,
    detections: Vec<usize>,
    pairs: Vec<usize>,
    /// Cluster k's tracks end at `ends[k][0]`, its detections at `ends[k][1]` and its pairs
    /// at `ends[k][2]` (each starts where cluster k − 1's ends).
    ends: Vec<[usize; 3]>,
}

/// One cluster of a [`LinkedClusters`]: as a [`Cluster`], borrowed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClusterRef<'a> {
    /// Track indices, ascending.
    pub tracks: &'a [usize],
    /// Detection indices, ascending.
    pub detections: &'a [usize],
    /// Positions of the cluster's pairs in the iteration given, ascending.
    pub pairs: &'a [usize],
}

impl LinkedClusters {
    /// The clusters, in the order of [`clusters`].
    pub(crate) fn iter(&self) -> impl Iterator<Item = ClusterRef<'_>> {
        self.ends.iter().scan([0; 3], |start, end| {
            let c = ClusterRef {
                tracks: &self.tracks[start[0]..end[0]],
                detections: &self.detections[start[1]..end[1]],
                pairs: &self.pairs[start[2]..end[2]],
            };
            *start = *end;
            Some(c)
        })
    }
}

/// The clusters of [`clusters_of`] that hold at least one pair, in the same order and each
/// with the same tracks, detections and pairs, in a [`LinkedClusters`].
pub(crate) fn linked_clusters<I>(n_tracks: usize, n_detections: usize, pairs: I) -> LinkedClusters
where
    I: IntoIterator<Item = (usize, usize)>,
    I::IntoIter: Clone,
{
    const NONE: usize = usize::MAX;
    let pairs = pairs.into_iter();
    let (n, mut uf, in_range) = joined(n_tracks, n_detections, pairs.clone());
    // A component of more than one node holds a pair, hence a track: numbered in order of
    // its smallest track, as `clusters_of` numbers it among all components.
    let mut id_of_root = vec![NONE; n];
    let mut cluster_of = vec![NONE; n];
    let mut count = 0;
    for (node, cluster) in cluster_of.iter_mut().enumerate() {
        let root = uf.find(node);
        if uf.size[root] < 2 {
            continue;
        }
        if id_of_root[root] == NONE {
            id_of_root[root] = count;
            count += 1;
        }
        *cluster = id_of_root[root];
    }
    // Counted, then placed, in node and pair order: each cluster's lists stay ascending.
    let mut sizes = vec![[0usize; 3]; count];
    for (node, &c) in cluster_of.iter().enumerate() {
        if c != NONE {
            sizes[c][usize::from(node >= n_tracks)] += 1;
        }
    }
    for p in pairs.clone().filter(|p| in_range(p)) {
        sizes[cluster_of[p.0]][2] += 1;
    }
    let mut ends = Vec::with_capacity(count);
    let mut end = [0; 3];
    for s in &mut sizes {
        let start = end;
        for a in 0..3 {
            end[a] += s[a];
        }
        ends.push(end);
        *s = start; // now the next free place
    }
    let mut out = LinkedClusters {
        tracks: vec![0; end[0]],
        detections: vec![0; end[1]],
        pairs: vec![0; end[2]],
        ends,
    };
    for (node, &c) in cluster_of.iter().enumerate() {
        if c == NONE {
            continue;
        }
        if node < n_tracks {
            out.tracks[sizes[c][0]] = node;
            sizes[c][0] += 1;
        } else {
            out.detections[sizes[c][1]] = node - n_tracks;
            sizes[c][1] += 1;
        }
    }
    for (k, p) in pairs.enumerate() {
        if in_range(&p) {
            let c = cluster_of[p.0];
            out.pairs[sizes[c][2]] = k;
            sizes[c][2] += 1;
        }
    }
    out
}

/// Disjoint sets over `0..n`.
#[derive(Debug)]
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn hand_example() {
        // Tracks 0..4, detections 0..5. 0–1 share detection 1 (through 0-0, 0-1, 1-1);
        // track 3 is linked to detection 4; track 2 and detections 2, 3 stand alone.
        let pairs = [(1, 1), (3, 4), (0, 0), (0, 1), (9, 0), (0, 9), (1, 1)];
        let c = clusters(4, 5, &pairs);
        let expect = vec![
            Cluster {
                tracks: vec![0, 1],
                detections: vec![0, 1],
                pairs: vec![0, 2, 3, 6],
            },
            Cluster {
                tracks: vec![2],
                detections: vec![],
                pairs: vec![],
            },
            Cluster {
                tracks: vec![3],
                detections: vec![4],
                pairs: vec![1],
            },
            Cluster {
                tracks: vec![],
                detections: vec![2],
                pairs: vec![],
            },
            Cluster {
                tracks: vec![],
                detections: vec![3],
                pairs: vec![],
            },
        ];
        assert_eq!(c, expect);
        assert!(clusters(0, 0, &[]).is_empty());
    }

    /// Oracle: components by repeated graph search.
    fn components(nt: usize, nd: usize, pairs: &[(usize, usize)]) -> Vec<usize> {
        let n = nt + nd;
        let mut label = vec![usize::MAX; n];
        let mut next = 0;
        for s in 0..n {
            if label[s] != usize::MAX {
                continue;
            }
            let mut stack = vec![s];
            label[s] = next;
            while let Some(x) = stack.pop() {
                for &(t, d) in pairs {
                    let (a, b) = (t, nt + d);
                    for (from, to) in [(a, b), (b, a)] {
                        if from == x && label[to] == usize::MAX {
                            label[to] = next;
                            stack.push(to);
                        }
                    }
                }
            }
            next += 1;
        }
        label
    }

    /// The flat clusters are the clusters with pairs, in the same order.
    #[test]
    fn linked_clusters_are_the_clusters_with_pairs() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..300 {
            let nt = rng.random_range(0..15);
            let nd = rng.random_range(0..15);
            let pairs: Vec<_> = (0..rng.random_range(0..20))
                .map(|_| (rng.random_range(0..nt + 2), rng.random_range(0..nd + 2)))
                .collect();
            let all = clusters(nt, nd, &pairs);
            let expect: Vec<&Cluster> = all.iter().filter(|c| !c.pairs.is_empty()).collect();
            let flat = linked_clusters(nt, nd, pairs.iter().copied());
            let got: Vec<Cluster> = flat
                .iter()
                .map(|c| Cluster {
                    tracks: c.tracks.to_vec(),
                    detections: c.detections.to_vec(),
                    pairs: c.pairs.to_vec(),
                })
                .collect();
            assert_eq!(got.iter().collect::<Vec<_>>(), expect);
        }
    }

    #[test]
    fn partition_matches_graph_search() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let nt = rng.random_range(0..12);
            let nd = rng.random_range(0..12);
            let np = if nt * nd == 0 {
                0
            } else {
                rng.random_range(0..15)
            };
            let pairs: Vec<_> = (0..np)
                .map(|_| (rng.random_range(0..nt), rng.random_range(0..nd)))
                .collect();
            let c = clusters(nt, nd, &pairs);
            let label = components(nt, nd, &pairs);
            // Same partition, same order (the oracle also numbers by smallest node).
            let mut got = vec![usize::MAX; nt + nd];
            for (k, cl) in c.iter().enumerate() {
                assert!(cl.tracks.windows(2).all(|w| w[0] < w[1]));
                assert!(cl.detections.windows(2).all(|w| w[0] < w[1]));
                cl.tracks.iter().for_each(|&t| got[t] = k);
                cl.detections.iter().for_each(|&d| got[nt + d] = k);
                for &p in &cl.pairs {
                    assert!(cl.tracks.contains(&pairs[p].0) && cl.detections.contains(&pairs[p].1));
                }
            }
            assert_eq!(got, label);
            assert_eq!(c.iter().map(|cl| cl.pairs.len()).sum::<usize>(), np);
        }
    }
}
