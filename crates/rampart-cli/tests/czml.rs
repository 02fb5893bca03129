//! `rampart run --czml FILE` and `rampart report DIR --czml [FILE]` write the same document.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

fn rampart(args: &[&str]) -> String {
    String::from_utf8_lossy(&common::rampart_ok(args).stdout).into_owned()
}

#[test]
fn run_and_report_write_the_czml_document() {
    let dir = std::env::temp_dir().join(format!("rampart-czml-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("out");
    let file = dir.join("run.czml");
    let stdout = rampart(&[
        "run",
        "scenarios/tutorial.toml",
        "--out",
        out.to_str().unwrap(),
        "--czml",
        file.to_str().unwrap(),
    ]);
    assert!(stdout.contains("run.czml"), "{stdout}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written[0]["id"], "document");
    assert!(written.as_array().unwrap().len() > 1);
    // The report of the folder, with no file named, writes DIR/run.czml: the same document.
    rampart(&["report", out.to_str().unwrap(), "--czml"]);
    let again = std::fs::read_to_string(out.join("run.czml")).unwrap();
    assert_eq!(again, std::fs::read_to_string(&file).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}
