//! The DynamoDB Streams API operations.
