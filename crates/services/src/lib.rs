//! Services for Task states.
