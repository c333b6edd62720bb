//! Running executions in the background: [`StepFunctions::run_ready`] steps every execution
//! that can move, lending it the shared DynamoDB engine (swapped into its services for the
//! slice and back), and returns the engine's commits for the caller to persist. An
//! execution that cannot move (a parked task token, or a real-clock wait) is idle until its
//! token is answered or [`StepFunctions::wake_due`] finds its time has come.

use crate::executions::Run;
use crate::machines::Kind;
use crate::StepFunctions;
use statebox_asl::ExecutionStatus;
use statebox_dynamo::{Commit, Engine};

/// The most events one execution steps in one slice, so that many run side by side.
pub const EVENTS_PER_RUN: usize = 64;

impl StepFunctions {
    /// Whether some execution can run now.
    pub fn has_work(&self) -> bool {
        self.active
            .iter()
            .any(|arn| self.runs.get(arn).is_some_and(|r| !r.idle))
    }

    /// Steps the executions that can run, oldest ARN order first, [`EVENTS_PER_RUN`] events
    /// each at most, until about `budget` events in all (so the caller's locks are held for
    /// a bounded time); returns what the steps committed to DynamoDB, in order.
    pub fn run_ready(&mut self, engine: &mut Engine, budget: usize) -> Vec<Commit> {
        let mut commits = Vec::new();
        let mut spent = 0;
        let ready: Vec<String> = self
            .active
            .iter()
            .filter(|arn| self.runs.get(*arn).is_some_and(|r| !r.idle))
            .cloned()
            .collect();
        for arn in ready {
            if spent >= budget {
                break;
            }
            let Some(run) = self.runs.get_mut(&arn) else {
                continue;
            };
            spent += step_run(run, engine, EVENTS_PER_RUN.min(budget - spent));
            commits.extend(run.services.take_commits());
            if run.idle {
                for token in run.execution.pending_task_tokens() {
                    self.tokens.insert(token, arn.clone());
                }
            }
            if run.execution.status() != &ExecutionStatus::Running {
                self.finish(&arn);
            }
        }
        commits
    }

    /// An execution has ended: it leaves the active set; an asynchronous express execution
    /// is dropped (AWS keeps no record of one).
    fn finish(&mut self, arn: &str) {
        self.active.remove(arn);
        let Some(run) = self.runs.get(arn) else {
            return;
        };
        if run.spec.kind == Kind::Express {
            if !run.sync {
                self.runs.remove(arn);
            }
        } else if self.records.is_some() {
            let record = crate::persist::ended_record(run);
            self.record(|_| record);
        }
    }

    /// With a real clock, the earliest time an idle execution waits for (epoch ms).
    pub fn next_wake(&self) -> Option<i64> {
        self.config.clock.clock()?;
        self.active
            .iter()
            .filter_map(|arn| self.runs.get(arn))
            .filter(|r| r.idle)
            .filter_map(|r| r.execution.next_wake_millis())
            .min()
    }

    /// Makes the idle executions whose wake-up time has come runnable again.
    pub fn wake_due(&mut self, now: i64) {
        for arn in &self.active {
            if let Some(run) = self.runs.get_mut(arn) {
                if run.idle && run.execution.next_wake_millis().is_some_and(|t| t <= now) {
                    run.idle = false;
                }
            }
        }
    }

    /// Whether the execution `arn` has ended (or is gone).
    pub fn finished(&self, arn: &str) -> bool {
        self.runs
            .get(arn)
            .is_none_or(|r| r.execution.status() != &ExecutionStatus::Running)
    }
}

/// Steps one execution with the shared engine lent to its services; returns the steps made.
fn step_run(run: &mut Run, engine: &mut Engine, budget: usize) -> usize {
    std::mem::swap(run.services.engine(), engine);
    let mut moved = 0;
    let mut blocked = false;
    while moved < budget {
        run.services.set_time(run.execution.now_millis());
        if !run.execution.step(&mut run.services) {
            blocked = true;
            break;
        }
        moved += 1;
    }
    std::mem::swap(run.services.engine(), engine);
    if run.execution.status() != &ExecutionStatus::Running {
        run.stop_millis = Some(run.execution.now_millis());
    } else if blocked {
        run.idle = true;
    }
    moved.max(1)
}
