//! `[dis_in]` and `[[dis_in.entity]]`.

use super::*;

fn with_dis_in(table: &str) -> String {
    format!("{BASE}{FATEH}\n{table}")
}

#[test]
fn a_dis_in_table_maps_entity_types_to_threat_types() {
    let src = with_dis_in(
        r#"[dis_in]
exercise = 3
timeout = "20 s"

[[dis_in.entity]]
entity_type = "2.11.0.1"
threat_type = "Fateh-313"

[[dis_in.entity]]
entity_type = "2.11.0.1.3"
threat_type = "Shahed-136"

[[dis_in.entity]]
entity_type = "1:2"
threat_type = "Shahed-136"
"#,
    );
    let s = parse(&src, "test.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    let d = s.dis_in.expect("the table");
    assert_eq!(d.exercise, Some(3));
    assert_eq!(d.timeout.as_secs_f64(), 20.0);
    let fateh = s.threat_types.iter().position(|t| t.name == "Fateh-313");
    let shahed = s.threat_types.iter().position(|t| t.name == "Shahed-136");
    assert_eq!(d.threat_type(&[2, 11, 0, 1, 0, 0, 0]), fateh);
    // The entry matching most fields wins.
    assert_eq!(d.threat_type(&[2, 11, 0, 1, 3, 7, 0]), shahed);
    assert_eq!(d.threat_type(&[1, 2, 225, 50, 0, 0, 0]), shahed);
    assert_eq!(d.threat_type(&[2, 1, 0, 1, 0, 0, 0]), None);
    // No table: none.
    assert!(
        parse(&format!("{BASE}{FATEH}"), "test.toml")
            .unwrap()
            .dis_in
            .is_none()
    );
}

#[test]
fn bad_dis_in_tables_are_errors_at_their_place() {
    let entry = |ty: &str, threat: &str| {
        format!(
            "[dis_in]\n\n[[dis_in.entity]]\nentity_type = \"{ty}\"\nthreat_type = \"{threat}\"\n"
        )
    };
    assert_err(
        &with_dis_in("[dis_in]\ntimeout = \"5 s\"\n"),
        "missing required key `entity`",
        "[dis_in]",
    );
    assert_err(
        &with_dis_in(&entry("2.11.x", "Fateh-313")),
        "`x` is not a whole number",
        "\"2.11.x\"",
    );
    assert_err(
        &with_dis_in(&entry("2.300", "Fateh-313")),
        "from 0 to 255",
        "\"2.300\"",
    );
    assert_err(
        &with_dis_in(&entry("1.2.3.4.5.6.7.8", "Fateh-313")),
        "one to seven fields",
        "\"1.2.3.4.5.6.7.8\"",
    );
    let e = assert_err(
        &with_dis_in(&entry("2.11", "Fateh-31")),
        "Fateh-31",
        "\"Fateh-31\"",
    );
    assert!(
        e.help().is_some_and(|h| h.contains("Fateh-313")),
        "{}",
        e.render()
    );
    let twice = format!(
        "{}\n[[dis_in.entity]]\nentity_type = \"2.11\"\nthreat_type = \"Shahed-136\"\n",
        entry("2.11", "Fateh-313")
    );
    let src = with_dis_in(&twice);
    let e = err(&src);
    assert!(e.message().contains("mapped already"), "{}", e.render());
    assert_eq!(e.line_col(), Some(at_nth(&src, "\"2.11\"", 1)));
    let src = with_dis_in(&entry("2", "Fateh-313").replacen(
        "[dis_in]\n",
        "[dis_in]\nexercise = 300\n",
        1,
    ));
    assert_err(&src, "at most 255", "300");
}

#[test]
fn a_dis_table_sets_the_output_identifiers() {
    let s = parse(
        &with_dis_in("[dis]\nexercise = 3\nsite = 12\napplication = 65534\n"),
        "test.toml",
    )
    .unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(
        (s.dis.exercise, s.dis.site, s.dis.application),
        (3, 12, 65_534)
    );
    let s = parse(&with_dis_in(""), "test.toml").unwrap();
    assert_eq!((s.dis.exercise, s.dis.site, s.dis.application), (1, 1, 1));
    assert_err(
        &with_dis_in("[dis]\nexercise = 256\n"),
        "exercise must be at most 255",
        "256",
    );
    assert_err(
        &with_dis_in("[dis]\nsite = 65535\n"),
        "site must be at most 65534",
        "65535",
    );
    assert_err(
        &with_dis_in("[dis]\napplication = 0\n"),
        "at least 1",
        "0\n",
    );
}
