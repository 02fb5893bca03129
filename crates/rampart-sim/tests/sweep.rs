//! Sweeps: the grid, and common random numbers across its points.

use rampart_sim::montecarlo::sweep::{Axis, SweepError, grid, run_sweep};
use rampart_sim::montecarlo::{McOptions, Replication};

fn defended_text() -> (String, String) {
    let path = crate::common::shipped_path("al-asad-2020-defended");
    (
        std::fs::read_to_string(&path).unwrap(),
        path.display().to_string(),
    )
}

/// Common random numbers: the undefended Erbil Air Base's radius changes nothing that happens,
/// only which impacts count as hits on it. With the same draws at every point, in every
/// replication the larger radius has at least the hits of the smaller, the hits on the defended
/// base are the same, and so are the interceptors fired. With independent draws per point a
/// replication's counts would differ both ways.
#[test]
fn grid_points_share_their_random_numbers() {
    let (text, file) = defended_text();
    let axes = [Axis::parse("asset.Erbil Air Base.radius=300 m,1500 m,6 km").unwrap()];
    let opts = McOptions {
        runs: 8,
        threads: None,
        until_ci: None,
        seed: 5,
        stop: None,
    };
    let mut records: Vec<Vec<Replication>> = vec![Vec::new(); 3];
    let result = run_sweep(
        &text,
        &file,
        &axes,
        &opts,
        |_, _, _| {},
        |_| {},
        |i, r| {
            records[i].push(r.clone());
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(result.points.len(), 3);
    // Mixed units: the axis is in SI.
    assert_eq!(result.axes[0].x, [300.0, 1500.0, 6000.0]);
    assert_eq!(result.axes[0].unit, "m");
    let erbil = 1;
    assert!(records.iter().all(|r| r.len() == 8));
    for (k, ((a, b), c)) in records[0]
        .iter()
        .zip(&records[1])
        .zip(&records[2])
        .enumerate()
    {
        assert_eq!(a.replication, k as u64);
        assert!(a.asset_hits[erbil] <= b.asset_hits[erbil]);
        assert!(b.asset_hits[erbil] <= c.asset_hits[erbil]);
        assert_eq!(a.asset_hits[0], c.asset_hits[0], "replication {k}");
        assert_eq!(a.interceptors_launched, c.interceptors_launched);
        // The impact points themselves agree; only their naming as hits may differ.
        let points = |r: &Replication| -> Vec<(String, f64, f64)> {
            r.impacts
                .iter()
                .map(|i| (i.threat.clone(), i.lat, i.lon))
                .collect()
        };
        assert_eq!(points(a), points(c), "replication {k}");
    }
    // Hence the expected hits rise with the radius.
    let p = |i: usize| result.points[i].result.assets[erbil].hits.mean;
    assert!(p(0) <= p(1) && p(1) <= p(2));
}

#[test]
fn the_grid_runs_the_last_key_fastest_and_reports_bad_points() {
    let (text, file) = defended_text();
    let axes = [
        Axis::parse("fire_unit.Battery-1.channels=1,2").unwrap(),
        Axis::parse("raid.0.count=2,3,4").unwrap(),
    ];
    let g = grid(&text, &file, &axes).unwrap();
    let at: Vec<Vec<usize>> = g.iter().map(|(a, _, _)| a.clone()).collect();
    assert_eq!(at, [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
    let (_, desc, s) = &g[4];
    assert_eq!(desc, "fire_unit.Battery-1.channels=2, raid.0.count=3");
    assert_eq!(s.fire_units[0].channels, 2);
    assert_eq!(s.raids[0].count, 3);

    let bad = [Axis::parse("fire_unit.Battery-1.channels=0").unwrap()];
    match grid(&text, &file, &bad) {
        Err(SweepError::Scenario { point, source }) => {
            assert_eq!(point, "fire_unit.Battery-1.channels=0");
            let r = source.render();
            assert!(r.contains("channels = 0"), "{r}");
            assert!(r.contains("(with fire_unit.Battery-1.channels=0)"), "{r}");
        }
        other => panic!("expected a scenario error, got {other:?}"),
    }
    let twice = [
        Axis::parse("raid.0.count=2").unwrap(),
        Axis::parse("raid.0.count=3").unwrap(),
    ];
    assert!(matches!(
        grid(&text, &file, &twice),
        Err(SweepError::Duplicate(_))
    ));
    let nowhere = [Axis::parse("raid.9.count=2").unwrap()];
    let e = grid(&text, &file, &nowhere).unwrap_err().to_string();
    assert!(e.contains("4 element(s)"), "{e}");
}

/// A sweep in parts (`rampart sweep --shard K/M`): the parts' records, numbered across the grid,
/// fold to the whole sweep's result to the bit, paired differences included (docs/cluster.md).
#[test]
fn a_sweeps_parts_fold_to_the_whole_sweep() {
    use rampart_sim::montecarlo::shard_range;
    use rampart_sim::montecarlo::sweep::{fold_sweep, run_sweep_range};
    let (text, file) = defended_text();
    let axes = [Axis::parse("fire_unit.Battery-1.launchers.count=1,2").unwrap()];
    let opts = McOptions {
        runs: 5,
        threads: Some(2),
        until_ci: None,
        seed: 9,
        stop: None,
    };
    let whole = run_sweep(
        &text,
        &file,
        &axes,
        &opts,
        |_, _, _| {},
        |_| {},
        |_, _| Ok(()),
    )
    .unwrap();
    let mut records: Vec<Vec<Replication>> = vec![Vec::new(); 2];
    for k in 1..=3 {
        run_sweep_range(
            &text,
            &file,
            &axes,
            &opts,
            shard_range(10, k, 3),
            |_| {},
            |i, r| {
                let line = serde_json::to_string(r).expect("JSON");
                records[i].push(serde_json::from_str(&line).expect("reads back"));
                Ok(())
            },
        )
        .unwrap();
    }
    let merged = fold_sweep(&text, &file, &axes, 9, 5, &records).unwrap();
    assert_eq!(
        serde_json::to_string(&merged).unwrap(),
        serde_json::to_string(&whole).unwrap()
    );
}
