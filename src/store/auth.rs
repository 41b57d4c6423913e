//! Operators: personal accounts and passwords (rule A14), argon2id hashes, lockout
//! after repeated failures (counted in the database, so every terminal agrees).

use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Argon2, PasswordHash};
use std::time::Duration;

use rusqlite::{OptionalExtension, Row, params};

use super::audit::{self, Entry};
use super::{Result, Store, StoreError};
use crate::domain::roles::{Role, format_roles, parse_roles};
use crate::domain::settings::{LOGIN_LOCKOUT_SECONDS, LOGIN_MAX_FAILURES, LOGIN_MIN_PASSWORD};
use crate::domain::{Msg, text};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub department_id: Option<i64>,
    pub disabled: bool,
    pub version: i64,
}

impl Operator {
    pub fn has(&self, p: crate::domain::Permission) -> bool {
        !self.disabled && crate::domain::roles::allows(&self.roles, p)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Unknown code or wrong password; the two are not told apart.
    Wrong,
    Locked {
        until: i64,
    },
    Disabled,
    /// The database could not answer (busy, read-only, damaged): its own message.
    Store(Msg),
}

impl LoginError {
    pub fn msg(&self, offset: i32) -> Msg {
        match self {
            LoginError::Wrong => Msg::new("login.wrong"),
            LoginError::Locked { until } => Msg::new("login.locked")
                .with("time", crate::domain::register::to_local(*until, offset).format("%H:%M:%S")),
            LoginError::Disabled => Msg::new("login.disabled"),
            LoginError::Store(m) => m.clone(),
        }
    }
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        // a log-in has no form open
        LoginError::Store(e.msg_no_form())
    }
}

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters")
        .to_string()
}

/// How long a right password waits to record the log-in before letting the operator in
/// without it (another terminal holds the write lock, or the disk is full).
const SUCCESS_WRITE_WAIT: Duration = Duration::from_millis(200);

/// A hash made once with `Argon2::default()`, as every operator's is, of a random
/// password nobody keeps: a code no operator has is verified against it, so it costs one
/// verification, as a real one does (F20), and never needs a hash made first.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$WjmNnPXl26rA7CV4VyiWlg$DQ4K3bPRlnEWtf3+WflwgxzgYKXPRlQHLWdTatlCf5k";

/// Whose failures a log-in counts: an operator's, or a code no operator has.
enum Who {
    Operator(i64),
    Code(String),
}

impl Who {
    fn key(&self) -> rusqlite::types::Value {
        match self {
            Who::Operator(id) => (*id).into(),
            Who::Code(code) => code.clone().into(),
        }
    }

    fn locked_until(&self, conn: &rusqlite::Connection) -> Result<Option<i64>> {
        let found: Option<Option<i64>> = match self {
            Who::Operator(id) => {
                conn.query_row("SELECT locked_until FROM operator WHERE id = ?1", [id], |r| r.get(0)).optional()?
            }
            Who::Code(code) => conn
                .query_row("SELECT locked_until FROM login_attempt WHERE code = ?1", [code], |r| r.get(0))
                .optional()?,
        };
        Ok(found.flatten())
    }
}

/// Where a code no operator has is counted: 16 bits of its digest. Guesses at one code
/// still share a count (and the trail groups them), while a password typed into the code
/// field by mistake leaves too little in the file to be told from the many texts of its
/// bucket. Real codes are never counted here, so a shared bucket locks no operator.
pub fn code_bucket(code: &str) -> String {
    use sha2::{Digest, Sha256};
    // codes are told apart without case, as an operator's are
    let d = Sha256::digest(format!("frontdesk unknown code\0{}", code.to_lowercase()).as_bytes());
    format!("{:02x}{:02x}", d[0], d[1])
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// Passwords: at least `min` characters (the setting `login.min_password`, which
/// every door that sets a password reads). Returns the problem's message.
pub fn check_password(password: &str, min: i64) -> std::result::Result<(), Msg> {
    if password.is_empty() {
        return Err(Msg::new("err.required"));
    }
    if (password.chars().count() as i64) < min {
        return Err(Msg::new("err.password.short").with("min", min));
    }
    Ok(())
}

/// Operator codes: ASCII letters, digits, `.`, `_`, `-`; at most 20. A code is typed
/// at every log-in, on any keyboard and input method, so it stays plain.
pub fn check_code(code: &str) -> std::result::Result<String, Msg> {
    let code = code.trim();
    if code.is_empty() {
        return Err(Msg::new("err.required"));
    }
    if code.chars().count() > 20 || !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
        return Err(Msg::new("err.operator.code"));
    }
    Ok(code.to_string())
}

/// What an operator form (or command) asks for, checked all at once: each problem with
/// the field it belongs to. `password2` is the repeated password, where a form asks for it;
/// an empty password is allowed when `password_required` is false (a change that keeps it).
pub struct OperatorInput<'a> {
    pub code: Option<&'a str>,
    pub name: &'a str,
    pub password: &'a str,
    pub password2: Option<&'a str>,
    pub password_required: bool,
}

pub fn operator_problems(input: &OperatorInput, min_password: i64) -> Vec<(&'static str, Msg)> {
    let mut out = Vec::new();
    if let Some(code) = input.code
        && let Err(m) = check_code(code)
    {
        out.push(("code", m));
    }
    if text::sanitize(input.name, false).trim().is_empty() {
        out.push(("name", Msg::new("err.required")));
    }
    if input.password_required || !input.password.is_empty() {
        if let Err(m) = check_password(input.password, min_password) {
            out.push(("password", m));
        }
        if let Some(again) = input.password2
            && again != input.password
        {
            out.push(("password2", Msg::new("err.password.mismatch")));
        }
    }
    out
}

const COLS: &str = "id, code, name, roles, department_id, disabled, version";

fn from_row(r: &Row) -> rusqlite::Result<Operator> {
    let roles: String = r.get(3)?;
    Ok(Operator {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        roles: parse_roles(&roles).unwrap_or_default(),
        department_id: r.get(4)?,
        disabled: r.get(5)?,
        version: r.get(6)?,
    })
}

pub struct NewOperator<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub roles: &'a [Role],
    pub password: &'a str,
}

impl Store {
    pub fn operator_count(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM operator", [], |r| r.get(0))?)
    }

    pub fn operators(&self) -> Result<Vec<Operator>> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {COLS} FROM operator ORDER BY code"))?;
        let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn operator(&self, id: i64) -> Result<Operator> {
        Ok(self.conn.query_row(&format!("SELECT {COLS} FROM operator WHERE id = ?1"), [id], from_row)?)
    }

    pub fn operator_by_code(&self, code: &str) -> Result<Option<Operator>> {
        Ok(self
            .conn
            .query_row(&format!("SELECT {COLS} FROM operator WHERE code = ?1"), [code.trim()], from_row)
            .optional()?)
    }

    /// The shortest password the doors accept (setting `login.min_password`).
    pub fn min_password(&self) -> i64 {
        self.settings().unwrap_or_default().int(LOGIN_MIN_PASSWORD)
    }

    /// Creates an operator. `actor` is None only for the first operator, and only while
    /// there is no operator at all: that one is always an administrator (admin is added
    /// to the roles asked for), whichever door creates it. Otherwise `actor` must be an
    /// active operator who manages operators. Both are decided inside the write
    /// transaction, so of two terminals creating the first operator at once exactly one
    /// succeeds.
    pub fn create_operator(&mut self, actor: Option<i64>, now: i64, new: &NewOperator) -> Result<i64> {
        self.create_operator_in(actor, now, new, None)
    }

    /// `create_operator`, in a department.
    pub fn create_operator_in(
        &mut self,
        actor: Option<i64>,
        now: i64,
        new: &NewOperator,
        department: Option<i64>,
    ) -> Result<i64> {
        let code = check_code(new.code).map_err(StoreError::Invalid)?;
        let name = text::sanitize(new.name, false).trim().to_string();
        if name.is_empty() {
            return Err(StoreError::Invalid(Msg::new("err.required")));
        }
        if new.roles.is_empty() {
            return Err(StoreError::Invalid(Msg::new("err.operator.no_role")));
        }
        if new.password.is_empty() {
            return Err(StoreError::Invalid(Msg::new("err.required")));
        }
        let hash = hash_password(new.password);
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let count: i64 = tx.query_row("SELECT count(*) FROM operator", [], |r| r.get(0))?;
            let mut roles = new.roles.to_vec();
            match actor {
                None if count > 0 => return Err(StoreError::Invalid(Msg::new("err.operator.setup_done"))),
                None => {
                    // Rule A14: somebody must be able to manage the accounts.
                    if !roles.contains(&Role::Admin) {
                        roles.push(Role::Admin);
                    }
                }
                Some(a) => {
                    let by: Option<(String, bool)> = tx
                        .query_row("SELECT roles, disabled FROM operator WHERE id = ?1", [a], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })
                        .optional()?;
                    let allowed = by.is_some_and(|(r, disabled)| {
                        !disabled
                            && crate::domain::roles::allows(
                                &parse_roles(&r).unwrap_or_default(),
                                crate::domain::Permission::ManageOperators,
                            )
                    });
                    if !allowed {
                        return Err(StoreError::Invalid(Msg::new("err.permission")));
                    }
                }
            }
            let exists: Option<i64> =
                tx.query_row("SELECT id FROM operator WHERE code = ?1", [&code], |r| r.get(0)).optional()?;
            if exists.is_some() {
                return Err(StoreError::Invalid(Msg::new("err.operator.exists").with("code", &code)));
            }
            if let Some(dep) = department {
                check_department(tx, dep)?;
            }
            let roles = format_roles(&roles);
            tx.execute(
                "INSERT INTO operator(code, name, roles, password_hash, department_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![code, name, roles, hash, department, now],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                &Entry::new(now, actor.or(Some(id)), &terminal, "create").on(Some("operator"), Some(id)).change(
                    None,
                    Some(
                        serde_json::json!({ "code": code, "name": name, "roles": roles, "department_id": department }),
                    ),
                ),
            )?;
            Ok(id)
        })
    }

    /// Checks a code and password, counting failures per code in the database.
    ///
    /// A code no operator has is answered as a real one is (F20): one argon2
    /// verification (of `DUMMY_HASH`), the same "wrong" and, after as many failures, the
    /// same "locked" (counted in `login_attempt`). Failures are counted inside the write
    /// transaction, so parallel guesses cannot outrun the lockout (F1). A right password
    /// needs no write: the log-in is recorded if the database lets it within
    /// `SUCCESS_WRITE_WAIT`, and a busy or full database still lets the operator in to
    /// read (F14).
    pub fn login(&mut self, code: &str, password: &str, now: i64) -> std::result::Result<Operator, LoginError> {
        let settings = self.settings()?;
        let max = settings.int(LOGIN_MAX_FAILURES);
        let lockout = settings.int(LOGIN_LOCKOUT_SECONDS);
        let code = code.trim();
        let found: Option<(Operator, String, Option<i64>)> = self
            .conn
            .query_row(
                &format!("SELECT {COLS}, password_hash, locked_until FROM operator WHERE code = ?1"),
                [code],
                |r| Ok((from_row(r)?, r.get(7)?, r.get(8)?)),
            )
            .optional()
            .map_err(StoreError::from)?;
        // A code that cannot be an operator's is not counted: nothing about it is hidden.
        // One that could is counted under its bucket, never as typed: people type their
        // password into the code field, and the trail keeps what it is given for ever.
        let who = match &found {
            Some((op, ..)) => Some(Who::Operator(op.id)),
            None => check_code(code).ok().map(|c| Who::Code(code_bucket(&c))),
        };
        let locked_until = match (&found, &who) {
            (Some((_, _, until)), _) => *until,
            (None, Some(w)) => w.locked_until(&self.conn)?,
            (None, None) => None,
        };
        if let Some(until) = locked_until
            && until > now
        {
            return Err(LoginError::Locked { until });
        }
        let hash = found.as_ref().map(|f| f.1.as_str()).unwrap_or(DUMMY_HASH);
        let matches = password_matches(password, hash);
        match (found, who) {
            (Some((op, ..)), _) if matches => self.login_succeeded(op, now),
            (_, Some(who)) => Err(self.login_failed(&who, now, max, lockout)?),
            (_, None) => Err(LoginError::Wrong),
        }
    }

    /// A right password: recorded (the audit row, the failures cleared) when the
    /// database lets it soon; the lockout is checked again either way, inside the
    /// transaction when there is one.
    fn login_succeeded(&mut self, op: Operator, now: i64) -> std::result::Result<Operator, LoginError> {
        let wait: i64 = self.conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0)).map_err(StoreError::from)?;
        self.conn.busy_timeout(SUCCESS_WRITE_WAIT).map_err(StoreError::from)?;
        let terminal = self.terminal.clone();
        let recorded = self.write_or_skip(|tx| {
            let (failed, until): (i64, Option<i64>) =
                tx.query_row("SELECT failed_logins, locked_until FROM operator WHERE id = ?1", [op.id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            if let Some(until) = until
                && until > now
            {
                return Ok(Some(until));
            }
            if failed != 0 || until.is_some() {
                tx.execute("UPDATE operator SET failed_logins = 0, locked_until = NULL WHERE id = ?1", [op.id])?;
            }
            if !op.disabled {
                audit::append(tx, &Entry::new(now, Some(op.id), &terminal, "login"))?;
            }
            Ok(None)
        });
        self.conn.busy_timeout(Duration::from_millis(wait.max(0) as u64)).map_err(StoreError::from)?;
        let locked = match recorded {
            Ok(locked) => locked,
            // not recorded (busy, full, read-only): the operator may still read
            Err(_) => Who::Operator(op.id).locked_until(&self.conn)?.filter(|until| *until > now),
        };
        match locked {
            Some(until) => Err(LoginError::Locked { until }),
            None if op.disabled => Err(LoginError::Disabled),
            None => Ok(op),
        }
    }

    /// A wrong password (or a code no operator has): counted inside the write
    /// transaction, which reads the lock afresh, so each failure is counted once
    /// however many terminals guess at once. The answer: wrong, or locked.
    fn login_failed(
        &mut self,
        who: &Who,
        now: i64,
        max: i64,
        lockout: i64,
    ) -> std::result::Result<LoginError, LoginError> {
        let terminal = self.terminal.clone();
        let answer = self.write(|tx| {
            if let Some(until) = who.locked_until(tx)?
                && until > now
            {
                return Ok(LoginError::Locked { until });
            }
            let failed: i64 = match who {
                Who::Operator(id) => tx.query_row(
                    "UPDATE operator SET failed_logins = failed_logins + 1 WHERE id = ?1 RETURNING failed_logins",
                    [id],
                    |r| r.get(0),
                )?,
                Who::Code(code) => tx.query_row(
                    "INSERT INTO login_attempt(code, failed) VALUES (?1, 1)
                     ON CONFLICT(code) DO UPDATE SET failed = failed + 1 RETURNING failed",
                    [code],
                    |r| r.get(0),
                )?,
            };
            let lock = failed >= max;
            if lock {
                let sql = match who {
                    Who::Operator(_) => "UPDATE operator SET failed_logins = 0, locked_until = ?2 WHERE id = ?1",
                    Who::Code(_) => "UPDATE login_attempt SET failed = 0, locked_until = ?2 WHERE code = ?1",
                };
                tx.execute(sql, params![who.key(), now + lockout])?;
            }
            let action = if lock { "lockout" } else { "login_failed" };
            let entry = match who {
                Who::Operator(id) => Entry::new(now, Some(*id), &terminal, action),
                // the bucket of the code tried, for whoever looks into a run of guesses
                Who::Code(bucket) => Entry::new(now, None, &terminal, action)
                    .change(None, Some(serde_json::json!({ "code_bucket": bucket }))),
            };
            audit::append(tx, &entry)?;
            Ok(if lock { LoginError::Locked { until: now + lockout } } else { LoginError::Wrong })
        })?;
        Ok(answer)
    }

    /// Sets a password; the door has checked its length against `min_password`.
    pub fn set_password(&mut self, actor: i64, now: i64, id: i64, password: &str) -> Result<()> {
        if password.is_empty() {
            return Err(StoreError::Invalid(Msg::new("err.required")));
        }
        let hash = hash_password(password);
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE operator SET password_hash = ?2, failed_logins = 0, locked_until = NULL, version = version + 1 WHERE id = ?1",
                params![id, hash],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            audit::append(
                tx,
                &Entry::new(now, Some(actor), &terminal, "password").on(Some("operator"), Some(id)),
            )?;
            Ok(())
        })
    }

    /// Changes name, roles, department and the disabled flag, if nobody changed the
    /// operator since `version` was read. An admin cannot remove the last admin.
    pub fn update_operator(&mut self, actor: i64, now: i64, op: &Operator) -> Result<()> {
        let name = text::sanitize(&op.name, false).trim().to_string();
        if name.is_empty() {
            return Err(StoreError::Invalid(Msg::new("err.required")));
        }
        if op.roles.is_empty() {
            return Err(StoreError::Invalid(Msg::new("err.operator.no_role")));
        }
        let terminal = self.terminal.clone();
        let before = self.operator(op.id)?;
        self.write(|tx| {
            let admins: i64 = tx.query_row(
                "SELECT count(*) FROM operator WHERE disabled = 0 AND id != ?1 AND (',' || roles || ',') LIKE '%,admin,%'",
                [op.id],
                |r| r.get(0),
            )?;
            let stays_admin = op.roles.contains(&Role::Admin) && !op.disabled;
            if admins == 0 && !stays_admin {
                return Err(StoreError::Invalid(Msg::new("err.operator.last_admin")));
            }
            // rule A14: nobody grants themselves roles (a register's contents, I6)
            if actor == op.id && before.roles != op.roles {
                return Err(StoreError::Invalid(Msg::new("err.extra.own_roles")));
            }
            // A retired department takes nobody new; one already in it may stay.
            if let Some(dep) = op.department_id
                && before.department_id != Some(dep)
            {
                check_department(tx, dep)?;
            }
            let n = tx.execute(
                "UPDATE operator SET name = ?2, roles = ?3, department_id = ?4, disabled = ?5, version = version + 1
                 WHERE id = ?1 AND version = ?6",
                params![op.id, name, format_roles(&op.roles), op.department_id, op.disabled, op.version],
            )?;
            if n == 0 {
                return Err(StoreError::Invalid(Msg::new("err.store.conflict")));
            }
            audit::append(
                tx,
                &Entry::new(now, Some(actor), &terminal, "update").on(Some("operator"), Some(op.id)).change(Some(serde_json::json!({
                        "name": before.name, "roles": format_roles(&before.roles), "disabled": before.disabled,
                        "department_id": before.department_id })), Some(serde_json::json!({
                        "name": name, "roles": format_roles(&op.roles), "disabled": op.disabled,
                        "department_id": op.department_id }))),
            )?;
            Ok(())
        })
    }
}

/// A department an operator may be put in: it exists and is not retired.
fn check_department(tx: &rusqlite::Transaction, id: i64) -> Result<()> {
    let retired: Option<Option<i64>> =
        tx.query_row("SELECT retired_at FROM department WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    match retired {
        None => Err(StoreError::Invalid(Msg::new("err.department.unknown"))),
        Some(Some(_)) => Err(StoreError::Invalid(Msg::new("err.department.retired"))),
        Some(None) => Ok(()),
    }
}
