//! Scans held back from a radar's tracker because they can change nothing in it (no live track,
//! no detection within the initiator's reach of a waiting one): holding them changes no
//! result, to the bit.

use crate::common::shipped_path;
use rampart_core::random::RandomStreams;
use rampart_core::{SimDuration, SimTime};
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::scenario::parse;
use rampart_sim::sensors::ScanOutput;
use rampart_sim::sensors::detection::Swerling;
use rampart_sim::sensors::radar::TargetView;
use rampart_sim::tracking::RadarTracker;
use rampart_sim::world::{ThreatId, Truth};

use crate::common::test_radar as radar;

#[test]
fn a_tracker_holding_idle_scans_reports_what_one_stepping_every_scan_does() {
    // Three waves of four targets each cross the radar's sector for 40 s, with quiet spells
    // between and 25 false alarms a scan throughout (some pairs of them pass the velocity
    // gate): every scan, the two trackers report the same tracks, confirmations and
    // deletions, and each kind of scan occurs often.
    let r = radar(2e-6);
    let frame = r.antenna().local_frame();
    let streams = RandomStreams::new(17, 0);
    let mut stepping = RadarTracker::new(&r);
    stepping.hold_idle_scans = false;
    let mut holding = RadarTracker::new(&r);
    // A third holds only now and then (switched off every fifth scan): what it kept of a
    // scan while holding must not outlive a scan stepped with holding off.
    let mut toggled = RadarTracker::new(&r);
    let (mut held, mut stepped, mut confirmed) = (0, 0, 0);
    let mut out = ScanOutput::default();
    for k in 0..150_i64 {
        let t_s = 2.0 * k as f64;
        let targets: Vec<TargetView> = (0..12)
            .filter(|i| {
                let start = 20.0 + 100.0 * f64::from(*i / 4);
                (start..start + 40.0).contains(&t_s)
            })
            .map(|i| {
                let start = 20.0 + 100.0 * f64::from(i / 4);
                let az = (70.0 + 10.0 * f64::from(i % 4)).to_radians();
                let dir = frame.direction(az, 0.2);
                let range_m = 120_000.0 - 1_500.0 * (t_s - start);
                TargetView {
                    truth: Truth::Threat(ThreatId::from_index(i as usize)),
                    position: frame.origin_ecef() + dir * range_m,
                    velocity: dir * -1_500.0,
                    rcs_m2: 5.0,
                    swerling: Swerling::One,
                    plume: false,
                    cued: false,
                }
            })
            .collect();
        out.clear();
        let mut rng = streams.stream("radar/test", &format!("scan/{k}"));
        r.scan(
            SimTime::EPOCH + SimDuration::from_secs(2 * k),
            targets,
            &mut rng,
            &mut out,
        );
        let want = stepping.step(t_s, &out.detections);
        let got = holding.step(t_s, &out.detections);
        assert_eq!(got, want, "scan {k}");
        toggled.hold_idle_scans = k % 5 != 2;
        assert_eq!(
            toggled.step(t_s, &out.detections),
            want,
            "scan {k}, toggled"
        );
        assert_eq!(
            toggled.confirmed(),
            stepping.confirmed(),
            "scan {k}, toggled"
        );
        confirmed += got.confirmed.len();
        assert_eq!(holding.confirmed(), stepping.confirmed(), "scan {k}");
        if holding.holding() {
            held += 1;
        } else {
            stepped += 1;
        }
    }
    assert!(held > 30 && stepped > 30, "{held} held, {stepped} stepped");
    assert!(confirmed >= 6, "{confirmed} tracks confirmed");
}

#[test]
fn a_run_holding_idle_scans_gives_every_event_of_one_stepping_every_scan() {
    // The defended Al Asad scenario with ten times the false alarms (150 a scan: pairs that
    // pass the gate are common), every detection and track update recorded.
    let text = std::fs::read_to_string(shipped_path("al-asad-2020-defended")).unwrap();
    let dense = text.replace("pfa = 1e-6", "pfa = 1e-5");
    assert_ne!(dense, text);
    let s = parse(&dense, "dense.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    let events = |hold: bool| {
        let opts = RunOptions {
            false_alarm_events: true,
            track_events: true,
            hold_idle_scans: hold,
            ..RunOptions::seed(s.seed)
        };
        let events = run(&s, opts).expect("the scenario runs");
        events
            .iter()
            .map(|e| serde_json::to_string(e).expect("an event serialises"))
            .collect::<Vec<String>>()
    };
    let (held, stepped) = (events(true), events(false));
    assert!(stepped.len() > 10_000, "{} events", stepped.len());
    assert_eq!(held.len(), stepped.len());
    for (k, (a, b)) in held.iter().zip(&stepped).enumerate() {
        assert_eq!(a, b, "event {k}");
    }
}
