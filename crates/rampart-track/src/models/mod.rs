//! Motion (transition) and measurement models.

pub mod measurement;
pub mod transition;

#[cfg(test)]
mod test_support;
