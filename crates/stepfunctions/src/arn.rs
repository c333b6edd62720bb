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

    /// The ARN of version `n` of a state machine.
    pub fn version(&self, machine: &str, n: u32) -> String {
        format!("{}:stateMachine:{machine}:{n}", self.prefix())
    }

    /// The ARN of an alias of a state machine.
    pub fn alias(&self, machine: &str, alias: &str) -> String {
        format!("{}:stateMachine:{machine}:{alias}", self.prefix())
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

/// A state machine ARN read back: the machine's plain ARN, the version number or alias name
/// after it, and the MockConfigFile test case its `#TestCase` suffix names, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineArn {
    pub arn: String,
    pub name: String,
    pub qualifier: Option<Qualifier>,
    pub test_case: Option<String>,
}

/// What follows a state machine's name in a qualified ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Qualifier {
    Version(u32),
    Alias(String),
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
    let (last, test_case) = match rest[rest.len() - 1].split_once('#') {
        Some((last, case)) => (last, Some(case.to_string())),
        None => (rest[rest.len() - 1], None),
    };
    let (name, qualifier) = match rest.len() {
        1 => (last, None),
        2 => {
            let qualifier = match last.parse::<u32>() {
                Ok(n) => Qualifier::Version(n),
                Err(_) => Qualifier::Alias(last.to_string()),
            };
            (rest[0], Some(qualifier))
        }
        _ => {
            return Err(SfnError::InvalidArn {
                reason: format!("Invalid Arn: {arn}"),
            })
        }
    };
    if name.is_empty() || last.is_empty() {
        return Err(SfnError::InvalidArn {
            reason: format!("Invalid Arn: {arn}"),
        });
    }
    let prefix: Vec<&str> = arn.split(':').take(5).collect();
    Ok(MachineArn {
        arn: format!("{}:stateMachine:{name}", prefix.join(":")),
        name: name.to_string(),
        qualifier,
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
        let v = machine(&place.version("M", 3)).unwrap();
        assert_eq!(
            (v.arn.as_str(), v.qualifier),
            (m.as_str(), Some(Qualifier::Version(3)))
        );
        let a = machine(&place.alias("M", "prod")).unwrap();
        assert_eq!(a.qualifier, Some(Qualifier::Alias("prod".into())));
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
