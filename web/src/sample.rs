//! The built-in sample workspace: the Step Functions + DynamoDB tutorial (save an order,
//! read it back). The same files serve the CLI tests.

/// The tutorial state machine.
pub const DEFINITION: &str = include_str!("../../static/examples/orders/definition.json");
/// Its input.
pub const INPUT: &str = include_str!("../../static/examples/orders/input.json");
/// The tables it needs, in the workspace-seed format.
pub const SEED: &str = include_str!("../../static/examples/orders/seed.json");
