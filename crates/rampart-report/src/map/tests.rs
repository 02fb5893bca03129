//! Tests of the parent module.

use super::basemap::{basemap, clip_runs, natural_earth};
use super::*;

#[test]
fn natural_earth_parses() {
    let lines: Vec<_> = natural_earth().collect();
    // The file's own header: "Counts: C 181 polylines …; B 242 polylines".
    assert_eq!(lines.iter().filter(|l| l.0 == 'C').count(), 181);
    assert_eq!(lines.iter().filter(|l| l.0 == 'B').count(), 242);
    assert!(lines.iter().all(|l| l.1.len() >= 2));
}

#[test]
fn clipping_keeps_only_runs_near_the_view() {
    let view = GeoBox {
        lat: (0.0, 1.0),
        lon: (0.0, 1.0),
    };
    let pts = [
        (-2.0, 0.5),
        (-1.0, 0.5),
        (0.5, 0.5),
        (2.0, 0.5),
        (3.0, 0.5),
        (4.0, 4.0),
    ];
    assert_eq!(
        clip_runs(&pts, &view),
        vec![vec![(-1.0, 0.5), (0.5, 0.5), (2.0, 0.5)]]
    );
}

#[test]
fn coast_in_view_is_drawn() {
    // Dhahran, on the Gulf coast of Saudi Arabia.
    let mut b = GeoBox::empty();
    b.add_disc((26.27, 50.15), 60_000.0);
    let p = Projection::fit(&b, 700.0, 300.0, 600.0);
    let mut svg = Svg::new(800.0, 700.0, "t");
    basemap(&mut svg, &p);
    let s = svg.finish();
    assert!(s.contains("<path class=\"coastline\" d=\"M"));
}

#[test]
fn projection_is_to_scale() {
    let mut b = GeoBox::empty();
    b.add((33.0, 42.0));
    b.add((34.0, 43.0));
    let p = Projection::fit(&b, 700.0, 300.0, 700.0);
    let (x0, y0) = p.xy((33.5, 42.0));
    let (x1, _) = p.xy((33.5, 43.0));
    let (_, y1) = p.xy((34.5, 42.0));
    // One degree of longitude is cos(33.5°) of one of latitude.
    assert!(((x1 - x0) / (y0 - y1) - 33.5f64.to_radians().cos()).abs() < 1e-9);
}
