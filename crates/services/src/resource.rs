//! Parsing a Task state's `Resource` ARN into what it calls.

/// How the state waits for the service (the ARN suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrationPattern {
    /// No suffix: call and move on.
    RequestResponse,
    /// `.sync` / `.sync:2`: run a job and wait for it.
    Sync,
    /// `.waitForTaskToken`: wait for a callback with the task token.
    WaitForTaskToken,
}

/// What a Task resource refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// `arn:aws:states:::<service>:<action>[.pattern]`, an optimized integration.
    Optimized {
        service: String,
        action: String,
        pattern: IntegrationPattern,
    },
    /// `arn:aws:states:::aws-sdk:<service>:<action>[.pattern]`.
    AwsSdk {
        service: String,
        action: String,
        pattern: IntegrationPattern,
    },
    /// A Lambda function ARN (`arn:aws:lambda:...:function:name`).
    LambdaFunction { arn: String },
    /// An activity ARN (`arn:aws:states:...:activity:name`).
    Activity { arn: String },
    /// Anything else.
    Other { arn: String },
}

impl Resource {
    /// Parses a resource ARN; never fails (unknown shapes are [`Resource::Other`]).
    pub fn parse(arn: &str) -> Resource {
        if let Some(rest) = arn.strip_prefix("arn:aws:states:::") {
            let (body, pattern) = split_pattern(rest);
            if let Some(sdk) = body.strip_prefix("aws-sdk:") {
                if let Some((service, action)) = sdk.split_once(':') {
                    return Resource::AwsSdk {
                        service: service.to_string(),
                        action: action.to_string(),
                        pattern,
                    };
                }
            } else if let Some((service, action)) = body.split_once(':') {
                return Resource::Optimized {
                    service: service.to_string(),
                    action: action.to_string(),
                    pattern,
                };
            }
        }
        let parts: Vec<&str> = arn.split(':').collect();
        match parts.as_slice() {
            ["arn", _, "lambda", _, _, "function", ..] => Resource::LambdaFunction {
                arn: arn.to_string(),
            },
            ["arn", _, "states", _, _, "activity", ..] => Resource::Activity {
                arn: arn.to_string(),
            },
            _ => Resource::Other {
                arn: arn.to_string(),
            },
        }
    }
}

fn split_pattern(body: &str) -> (&str, IntegrationPattern) {
    if let Some(b) = body.strip_suffix(".waitForTaskToken") {
        (b, IntegrationPattern::WaitForTaskToken)
    } else if let Some(b) = body.strip_suffix(".sync:2") {
        (b, IntegrationPattern::Sync)
    } else if let Some(b) = body.strip_suffix(".sync") {
        (b, IntegrationPattern::Sync)
    } else {
        (body, IntegrationPattern::RequestResponse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn optimized(service: &str, action: &str, pattern: IntegrationPattern) -> Resource {
        Resource::Optimized {
            service: service.into(),
            action: action.into(),
            pattern,
        }
    }

    #[test]
    fn parses_the_shapes_aws_accepts() {
        use IntegrationPattern::*;
        assert_eq!(
            Resource::parse("arn:aws:states:::dynamodb:putItem"),
            optimized("dynamodb", "putItem", RequestResponse)
        );
        assert_eq!(
            Resource::parse("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            optimized("sqs", "sendMessage", WaitForTaskToken)
        );
        assert_eq!(
            Resource::parse("arn:aws:states:::states:startExecution.sync:2"),
            optimized("states", "startExecution", Sync)
        );
        assert_eq!(
            Resource::parse("arn:aws:states:::aws-sdk:dynamodb:updateItem"),
            Resource::AwsSdk {
                service: "dynamodb".into(),
                action: "updateItem".into(),
                pattern: RequestResponse
            }
        );
        assert!(matches!(
            Resource::parse("arn:aws:lambda:us-east-1:123456789012:function:f"),
            Resource::LambdaFunction { .. }
        ));
        assert!(matches!(
            Resource::parse("arn:aws:states:us-east-1:123456789012:activity:a"),
            Resource::Activity { .. }
        ));
        assert!(matches!(
            Resource::parse("nonsense"),
            Resource::Other { .. }
        ));
    }
}
