//! Time in an execution: the clock (virtual or a caller's real one, see [`crate::clock`]),
//! the deadlines it fires in order (Wait and retry wake-ups, parked tasks' `TimeoutSeconds`
//! and `HeartbeatSeconds`, the execution's `TimeoutSeconds`) and letting virtual time pass.
//!
//! Rules of the virtual clock: when nothing can run, it jumps to the next Wait or retry
//! wake-up by itself, firing the execution timeout if that comes first; it never jumps up to
//! a parked task's deadline (the user answers tokens interactively), so with parked tasks
//! and nothing else to wake, [`Execution::run`] returns. [`Execution::advance_clock_to`] /
//! [`Execution::advance_clock_by`] let time pass on purpose, firing every deadline passed in
//! deadline order. Ties: runnable frames first, then parked tasks, then the execution
//! timeout (which fires once its deadline is reached with something still waiting).

use super::frame::{Fault, Phase};
use super::states::Outcome;
use super::task::task_names;
use super::{Execution, ExecutionStatus};
use crate::definition::model::StateKind;
use crate::integration::Integration;
use serde_json::json;

/// What the frames wait for.
struct Waiting {
    /// The earliest Wait or retry wake-up.
    wake: Option<i64>,
    /// The earliest parked task deadline, and its frame.
    parked: Option<(i64, usize)>,
    /// Some task is parked (with or without a deadline).
    any_parked: bool,
}

impl Execution {
    /// When the execution next needs to run, if something waits on time (epoch
    /// milliseconds): the earliest Wait or retry wake-up, parked task deadline or execution
    /// timeout. With a real clock, a driver whose [`step`](Self::step) returned false sleeps
    /// until then; `None` while running means only a task token's answer can move it.
    pub fn next_wake_millis(&self) -> Option<i64> {
        if self.status != ExecutionStatus::Running {
            return None;
        }
        let w = self.waiting();
        [
            w.wake,
            w.parked.map(|(at, _)| at),
            self.execution_deadline(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Lets virtual time pass up to `millis` (epoch) and runs: every deadline on the way
    /// fires in order (Wait and retry wake-ups, parked tasks' timeouts and heartbeats, the
    /// execution timeout). Afterwards the clock shows at least `millis` while the execution
    /// still waits on parked tasks. With a real clock time is not the caller's to move: this
    /// only runs.
    pub fn advance_clock_to(
        &mut self,
        millis: i64,
        services: &mut dyn Integration,
    ) -> &ExecutionStatus {
        if self.options.clock.clock().is_none() {
            self.horizon = self.horizon.max(millis);
        }
        self.run(services)
    }

    /// [`advance_clock_to`](Self::advance_clock_to) `millis` after the clock's time.
    pub fn advance_clock_by(
        &mut self,
        millis: i64,
        services: &mut dyn Integration,
    ) -> &ExecutionStatus {
        let target = self.now.saturating_add(millis.max(0));
        self.advance_clock_to(target, services)
    }

    /// Reads the real clock, if any (time never moves back).
    pub(super) fn sync_clock(&mut self) {
        if let Some(clock) = self.options.clock.clock() {
            self.now = self.now.max(clock.now_millis());
        }
    }

    /// Whether time comes from a real clock.
    pub(super) fn real_time(&self) -> bool {
        self.options.clock.clock().is_some()
    }

    /// Called when no frame can run now: fires what is due, or moves the virtual clock, or
    /// marks the execution blocked.
    pub(super) fn advance_clock(&mut self) {
        let Waiting {
            wake,
            parked,
            any_parked,
        } = self.waiting();
        if let Some((at, id)) = parked {
            if at <= self.now {
                self.expire_task(id);
                return;
            }
        }
        let deadline = self.execution_deadline();
        if let Some(d) = deadline.filter(|d| *d <= self.now) {
            self.time_out(d);
            return;
        }
        let parked_at = parked.map(|(at, _)| at);
        if self.real_time() {
            if wake.is_none() && !any_parked {
                self.stuck();
            } else {
                self.blocked = true;
            }
            return;
        }
        let next = [wake, parked_at, deadline].into_iter().flatten().min();
        let target = match next {
            Some(t) if t <= self.horizon => Some(t),
            _ => wake.filter(|w| parked_at.is_none_or(|p| *w < p)),
        };
        match target {
            Some(t) => self.now = self.now.max(t.min(deadline.unwrap_or(i64::MAX))),
            None if any_parked => {
                self.now = self.now.max(self.horizon);
                self.blocked = true;
            }
            None => self.stuck(),
        }
    }

    fn stuck(&mut self) {
        self.fail_execution(Fault::new(
            "States.Runtime",
            "The execution cannot make progress.",
        ));
    }

    fn time_out(&mut self, deadline: i64) {
        self.now = self.now.max(deadline);
        let error = Some("States.Timeout".to_string());
        let cause = Some("The execution timed out.".to_string());
        self.emit(
            0,
            "ExecutionTimedOut",
            json!({"error": error, "cause": cause}),
        );
        self.status = ExecutionStatus::TimedOut { error, cause };
    }

    /// The execution's `TimeoutSeconds` deadline.
    fn execution_deadline(&self) -> Option<i64> {
        self.machine.timeout_seconds.map(|t| {
            self.options
                .start_time_millis
                .saturating_add((t as i64).saturating_mul(1000))
        })
    }

    /// What the frames wait for, in one pass (a Map may have many frames).
    fn waiting(&self) -> Waiting {
        let mut w = Waiting {
            wake: None,
            parked: None,
            any_parked: false,
        };
        for (id, f) in self.frames.iter().enumerate() {
            if matches!(f.phase, Phase::Finished) {
                continue;
            }
            match &f.phase {
                Phase::Sleep { until, .. } => {
                    w.wake = Some(w.wake.map_or(*until, |x| x.min(*until)));
                }
                Phase::Parked(p) => {
                    w.any_parked = true;
                    if let Some(at) = p.deadline() {
                        if w.parked.is_none_or(|(best, _)| at < best) {
                            w.parked = Some((at, id));
                        }
                    }
                }
                _ => {}
            }
        }
        w
    }

    /// Fails parked task `id` if a deadline of its has passed (`TaskTimedOut`, then Retry /
    /// Catch); true if it did.
    pub(super) fn expire_task(&mut self, id: usize) -> bool {
        let Some(frame) = self.frames.get(id) else {
            return false;
        };
        let (token, fault) = match &frame.phase {
            Phase::Parked(p) => match p.expired(self.now) {
                Some(fault) => (p.token.clone(), fault),
                None => return false,
            },
            _ => return false,
        };
        self.closed_tokens.push(token);
        if let Some(f) = self.frames.get_mut(id) {
            f.phase = Phase::Run;
        }
        if let Some(state) = self.state_of(id) {
            if let StateKind::Task(t) = &state.kind {
                let (family, resource_type, resource) = task_names(&t.resource);
                let lambda = family == "LambdaFunction";
                self.task_fault_event(
                    id,
                    super::task::TaskEnd::TimedOut,
                    lambda,
                    &resource_type,
                    &resource,
                    &fault,
                );
            }
        }
        self.after_body_pub(id, Outcome::Fail(fault));
        true
    }
}
