//! `[network]` and `[[network.link]]`, and a fire unit's `fire_control`.

use super::*;
use crate::network::FireControl;

/// [`with_radar`] with a fire unit on the radar, and `network` appended.
fn with_unit(network: &str) -> String {
    format!(
        r#"{}
[interceptor_type.SAM]
launch_mass = "900 kg"
propellant_mass = "500 kg"
burn_time = "12 s"
isp = "240 s"
diameter = "0.41 m"
drag_coefficient = 0.3
max_acceleration = "25 g"
min_altitude = "50 m"
max_altitude = "24 km"
min_range = "2 km"
max_range = "40 km"
seeker_acquisition_range = "15 km"
lethality = "blast-fragmentation"
lethal_radius = "8 m"
pk_max = 0.85

[[fire_unit]]
name = "Battery"
radar = "TPY-2"
fire_control = "engage-on-remote"

[[fire_unit.launchers]]
position = {{ lat = 33.8, lon = 42.45 }}
interceptor = "SAM"
count = 1
rounds = 4
{network}"#,
        with_radar()
    )
}

#[test]
fn a_network_reads_its_defaults_and_links() {
    let s = parse(&with_unit(""), "test.toml").expect("loads");
    assert!(!s.network.enabled);
    assert_eq!(s.fire_units[0].fire_control, FireControl::EngageOnRemote);
    let src = with_unit(
        r#"
[network]
latency = "1 s"
loss = 0.1

[[network.link]]
sensor = "TPY-2"
latency = "2 s"
outages = [["1 min", "2 min"], ["10 min", "11 min"]]
"#,
    );
    let s = parse(&src, "test.toml").expect("loads");
    let n = &s.network;
    assert!(n.enabled);
    assert_eq!(n.unit_links[0].latency.as_secs_f64(), 1.0);
    assert_eq!(n.unit_links[0].loss, 0.1);
    let r = &n.sensor_links[0];
    assert_eq!(r.latency.as_secs_f64(), 2.0);
    assert_eq!(r.loss, 0.1, "the default loss, not given in the link");
    assert_eq!(r.outages.len(), 2);
    assert_eq!(r.outages[1].0.as_secs_f64(), 600.0);
    let t = |s: f64| rampart_core::SimTime::from_nanos((s * 1e9) as i64);
    assert!(r.is_up(t(59.0)) && !r.is_up(t(60.0)) && !r.is_up(t(119.9)) && r.is_up(t(120.0)));
    let off = with_unit("[network]\nenabled = false\n");
    assert!(!parse(&off, "test.toml").expect("loads").network.enabled);
}

#[test]
fn bad_links_are_errors_at_their_place() {
    assert_err(
        &with_unit("[network]\n[[network.link]]\nsensor = \"TPY2\"\n"),
        "TPY2",
        "\"TPY2\"",
    );
    assert_err(
        &with_unit("[network]\n[[network.link]]\nsensor = \"TPY-2\"  \nfire_unit = \"Battery\"\n"),
        "not both",
        "\"TPY-2\"  \n",
    );
    assert_err(
        &with_unit(
            "[network]\n[[network.link]]\nfire_unit = \"Battery\"\n[[network.link]]\nfire_unit = \"Battery\" \n",
        ),
        "a second link",
        "\"Battery\" \n",
    );
    assert_err(
        &with_unit(
            "[network]\n[[network.link]]\nsensor = \"TPY-2\"\noutages = [[\"5 min\", \"2 min\"]]\n",
        ),
        "must end after it starts",
        "[\"5 min\"",
    );
    assert_err(
        &with_unit("[network]\n[[network.link]]\nsensor = \"TPY-2\"\noutages = [[\"5 min\"]]\n"),
        "a pair",
        "[\"5 min\"]]",
    );
    assert_err(&with_unit("[network]\nloss = 1.5\n"), "loss", "1.5");
    assert_err(
        &with_unit("[network]\nlatency = \"3 h\"\n"),
        "latency",
        "\"3 h\"",
    );
    let e = assert_err(
        &with_unit("").replace("engage-on-remote", "engage-remote"),
        "unknown fire control",
        "\"engage-remote\"",
    );
    assert_eq!(e.help(), Some("did you mean `engage-on-remote`?"));
}
