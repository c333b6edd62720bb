//! Step Functions ARNs: `arn:aws:states:<region>:<account>:stateMachine:<name>` (with an
//! optional `#<TestCase>` suffix, as Step Functions Local reads it), `...:execution:<machine>:
//! <name>` and `...:express:<machine>:<name>:<id>`, made for the server's region and account
//! and read back with AWS's `InvalidArn` reasons.

use crate::error::SfnError;

/// Where the server says it is: the region and account its ARNs name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub region: String,
    pub account: String,
}

impl Default for Place {
    fn default() -> Self {
        Place {
            region: "us-east-1".into(),
            account: "123456789012".into(),
        }
    }
}

impl Place {
    fn prefix(&self) -> String {
        format!("arn:aws:states:{}:{}", self.region, self.account)
    }

    /// The ARN of the state machine `name`.
    pub fn state_machine(&self, name: &str) -> String {
        format!("{}:stateMachine:{name}", self.prefix())
    }

    /// The ARN of a standard execution.
    pub fn execution(&self, machine: &str, name: &str) -> String {
        format!("{}:execution:{machine}:{name}", self.prefix())
    }

    /// The ARN of an express execution (`id` makes it unique).
    pub fn express(&self, machine: &str, name: &str, id: &str) -> String {
        format!("{}:express:{machine}:{name}:{id}", self.prefix())
    }
}

/// A state machine ARN read back: the machine's plain ARN and the MockConfigFile test case
/// its `#TestCase` suffix names, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineArn {
    pub arn: String,
    pub name: String,
    pub test_case: Option<String>,
}

/// The resource type and the parts after it, checking the ARN's prefix.
fn resource(arn: &str) -> Result<(&str, Vec<&str>), SfnError> {
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() < 7 || parts[0] != "arn" || parts[2] != "states" || parts[1].is_empty() {
        return Err(SfnError::InvalidArn {
            reason: format!("Invalid ARN prefix: {arn}"),
        });
    }
    Ok((parts[5], parts[6..].to_vec()))
}

fn wrong_type(kind: &str) -> SfnError {
    SfnError::InvalidArn {
        reason: format!("Resource type not valid in this context: {kind}"),
    }
}

/// Reads a state machine ARN (`stateMachineArn` members).
pub fn machine(arn: &str) -> Result<MachineArn, SfnError> {
    let (kind, rest) = resource(arn)?;
    if kind != "stateMachine" {
        return Err(wrong_type(kind));
    }
    if rest.len() != 1 || rest[0].is_empty() {
        // A version (`:1`) or an alias (`:prod`) qualifier: not kept by this server.
        return Err(SfnError::InvalidArn {
            reason: format!("Invalid Arn: versions and aliases are not supported: {arn}"),
        });
    }
    let (name, test_case) = match rest[0].split_once('#') {
        Some((name, case)) => (name, Some(case.to_string())),
        None => (rest[0], None),
    };
    let plain = match arn.split_once('#') {
        Some((plain, _)) => plain.to_string(),
        None => arn.to_string(),
    };
    Ok(MachineArn {
        arn: plain,
        name: name.to_string(),
        test_case,
    })
}

/// Whether an execution ARN names an express execution; checks its shape.
pub fn execution(arn: &str) -> Result<bool, SfnError> {
    let (kind, rest) = resource(arn)?;
    match kind {
        "execution" if rest.len() == 2 => Ok(false),
        "express" if rest.len() == 3 => Ok(true),
        "execution" | "express" => Err(SfnError::InvalidArn {
            reason: format!("Invalid Arn: {arn}"),
        }),
        other => Err(wrong_type(other)),
    }
}

/// Checks the ARN of a taggable resource (state machines; activities are not kept here).
pub fn taggable(arn: &str) -> Result<(), SfnError> {
    let (kind, _) = resource(arn)?;
    match kind {
        "stateMachine" | "activity" => Ok(()),
        other => Err(wrong_type(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_it_makes() {
        let place = Place::default();
        let m = place.state_machine("M");
        assert_eq!(m, "arn:aws:states:us-east-1:123456789012:stateMachine:M");
        let read = machine(&format!("{m}#Happy")).unwrap();
        assert_eq!((read.arn.as_str(), read.name.as_str()), (m.as_str(), "M"));
        assert_eq!(read.test_case.as_deref(), Some("Happy"));
        assert!(!execution(&place.execution("M", "e")).unwrap());
        assert!(execution(&place.express("M", "e", "x")).unwrap());
    }

    #[test]
    fn says_why_an_arn_is_refused() {
        assert_eq!(
            machine("nope").unwrap_err().to_string(),
            "Invalid Arn: 'Invalid ARN prefix: nope'"
        );
        let e = Place::default().execution("M", "e");
        assert_eq!(
            machine(&e).unwrap_err().to_string(),
            "Invalid Arn: 'Resource type not valid in this context: execution'"
        );
        assert_eq!(
            execution(&Place::default().state_machine("M"))
                .unwrap_err()
                .to_string(),
            "Invalid Arn: 'Resource type not valid in this context: stateMachine'"
        );
    }
}
