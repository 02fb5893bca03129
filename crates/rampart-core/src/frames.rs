//! Frame-typed geometry: a position or vector always says which frame it is in.
//!
//! [`Coordinate<F>`] is a point in metres in frame `F`; [`Vector<F>`] a displacement, velocity or
//! acceleration in `F` (the unit is in the name of whatever holds it). Both wrap an SI
//! `nalgebra::Vector3<f64>` plus `PhantomData<F>`, so an ECEF position cannot be added to an ENU
//! vector by accident. Only [`crate::geodesy`] builds transforms between frames.
//!
//! What the types do **not** catch: two [`Enu`] values from *different* sites have the same type
//! (the site lives in the [`crate::geodesy::LocalFrame`] that made them), and no value carries its
//! time tag: an ECEF position of 10 s ago is still just a `Coordinate<Ecef>`.

use nalgebra::Vector3;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// A reference frame marker.
pub trait Frame: Copy + Clone + fmt::Debug + Default + PartialEq + 'static {
    /// Short name used in debug output.
    const NAME: &'static str;
}

/// Earth-centred, Earth-fixed WGS-84 frame: origin at the centre of mass, z to the north pole,
/// x through the prime meridian at the equator. It rotates with the Earth.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Ecef;
impl Frame for Ecef {
    const NAME: &'static str = "ECEF";
}

/// A local east-north-up frame at some site on or near the ellipsoid.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Enu;
impl Frame for Enu {
    const NAME: &'static str = "ENU";
}

/// A point in frame `F`, in metres.
#[derive(Clone, Copy, PartialEq)]
pub struct Coordinate<F: Frame> {
    v: Vector3<f64>,
    _frame: PhantomData<F>,
}

/// A free vector in frame `F` (a displacement in m, a velocity in m/s, …).
#[derive(Clone, Copy, PartialEq)]
pub struct Vector<F: Frame> {
    v: Vector3<f64>,
    _frame: PhantomData<F>,
}

impl<F: Frame> Coordinate<F> {
    /// A point from its three components in metres.
    pub const fn new(x: f64, y: f64, z: f64) -> Self {
        Self::from_vector3(Vector3::new(x, y, z))
    }
    /// A point from a raw vector already known to be in `F`.
    pub const fn from_vector3(v: Vector3<f64>) -> Self {
        Self {
            v,
            _frame: PhantomData,
        }
    }
    /// The frame origin.
    pub fn origin() -> Self {
        Self::from_vector3(Vector3::zeros())
    }
    /// The raw components (metres); the frame is forgotten.
    pub const fn as_vector3(&self) -> &Vector3<f64> {
        &self.v
    }
    /// First component, m.
    pub fn x(&self) -> f64 {
        self.v.x
    }
    /// Second component, m.
    pub fn y(&self) -> f64 {
        self.v.y
    }
    /// Third component, m.
    pub fn z(&self) -> f64 {
        self.v.z
    }
    /// The vector from the origin to this point.
    pub fn to_vector(self) -> Vector<F> {
        Vector::from_vector3(self.v)
    }
    /// Euclidean distance to another point in the same frame, m.
    pub fn distance(&self, other: &Self) -> f64 {
        (self.v - other.v).norm()
    }
}

impl<F: Frame> Vector<F> {
    /// A vector from its three components.
    pub const fn new(x: f64, y: f64, z: f64) -> Self {
        Self::from_vector3(Vector3::new(x, y, z))
    }
    /// A vector from raw components already known to be in `F`.
    pub const fn from_vector3(v: Vector3<f64>) -> Self {
        Self {
            v,
            _frame: PhantomData,
        }
    }
    /// The zero vector.
    pub fn zeros() -> Self {
        Self::from_vector3(Vector3::zeros())
    }
    /// The raw components; the frame is forgotten.
    pub const fn as_vector3(&self) -> &Vector3<f64> {
        &self.v
    }
    /// First component.
    pub fn x(&self) -> f64 {
        self.v.x
    }
    /// Second component.
    pub fn y(&self) -> f64 {
        self.v.y
    }
    /// Third component.
    pub fn z(&self) -> f64 {
        self.v.z
    }
    /// Euclidean norm.
    pub fn norm(&self) -> f64 {
        self.v.norm()
    }
    /// Dot product with another vector of the same frame.
    pub fn dot(&self, o: &Self) -> f64 {
        self.v.dot(&o.v)
    }
    /// Cross product with another vector of the same frame.
    pub fn cross(&self, o: &Self) -> Self {
        Self::from_vector3(self.v.cross(&o.v))
    }
}

impl<F: Frame> Sub for Coordinate<F> {
    type Output = Vector<F>;
    fn sub(self, o: Self) -> Vector<F> {
        Vector::from_vector3(self.v - o.v)
    }
}
impl<F: Frame> Add<Vector<F>> for Coordinate<F> {
    type Output = Coordinate<F>;
    fn add(self, o: Vector<F>) -> Self {
        Self::from_vector3(self.v + o.v)
    }
}
impl<F: Frame> Sub<Vector<F>> for Coordinate<F> {
    type Output = Coordinate<F>;
    fn sub(self, o: Vector<F>) -> Self {
        Self::from_vector3(self.v - o.v)
    }
}
impl<F: Frame> AddAssign<Vector<F>> for Coordinate<F> {
    fn add_assign(&mut self, o: Vector<F>) {
        self.v += o.v;
    }
}
impl<F: Frame> Add for Vector<F> {
    type Output = Vector<F>;
    fn add(self, o: Self) -> Self {
        Self::from_vector3(self.v + o.v)
    }
}
impl<F: Frame> AddAssign for Vector<F> {
    fn add_assign(&mut self, o: Self) {
        self.v += o.v;
    }
}
impl<F: Frame> Sub for Vector<F> {
    type Output = Vector<F>;
    fn sub(self, o: Self) -> Self {
        Self::from_vector3(self.v - o.v)
    }
}
impl<F: Frame> SubAssign for Vector<F> {
    fn sub_assign(&mut self, o: Self) {
        self.v -= o.v;
    }
}
impl<F: Frame> Neg for Vector<F> {
    type Output = Vector<F>;
    fn neg(self) -> Self {
        Self::from_vector3(-self.v)
    }
}
impl<F: Frame> Mul<f64> for Vector<F> {
    type Output = Vector<F>;
    fn mul(self, k: f64) -> Self {
        Self::from_vector3(self.v * k)
    }
}
impl<F: Frame> Div<f64> for Vector<F> {
    type Output = Vector<F>;
    fn div(self, k: f64) -> Self {
        Self::from_vector3(self.v / k)
    }
}

impl<F: Frame> fmt::Debug for Coordinate<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Coordinate<{}>({:.3}, {:.3}, {:.3})",
            F::NAME,
            self.v.x,
            self.v.y,
            self.v.z
        )
    }
}
impl<F: Frame> fmt::Debug for Vector<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Vector<{}>({:.6}, {:.6}, {:.6})",
            F::NAME,
            self.v.x,
            self.v.y,
            self.v.z
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_minus_point_is_vector_and_back() {
        let a = Coordinate::<Ecef>::new(1.0, 2.0, 3.0);
        let b = Coordinate::<Ecef>::new(4.0, 6.0, 3.0);
        let d = b - a;
        assert_eq!(d.norm(), 5.0);
        assert_eq!(a + d, b);
        assert_eq!(a.distance(&b), 5.0);
        assert_eq!((d * 2.0).norm(), 10.0);
    }
}
