//! Multi-target tracking: a library that knows nothing of missiles or scenarios (to come).
