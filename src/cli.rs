//! The command line: the application, and the commands an office runs from a shell.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::domain::access::{self, Act};
use crate::domain::plan::{Actor, Change, Facts, Person, Plan, plan};
use crate::domain::register::{Context, FieldKind, Lookup, RegisterDef, format, parse, to_local};
use crate::domain::roles::parse_roles;
use crate::domain::{Msg, Permission, REGISTERS, Value, register, stats};
use crate::i18n::{I18n, Lang};
use crate::store::{Operator, Store, StoreError, auth::NewOperator};

#[derive(Parser, Debug)]
#[command(name = "frontdesk", version, about = "Keyboard-driven registers for the front desk")]
pub struct Cli {
    /// The database file (default: frontdesk.sqlite in the user's data directory).
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    /// Language: en or zh-CN (default: LC_ALL/LANG, then the shared setting).
    #[arg(long, global = true)]
    pub lang: Option<String>,
    /// Use the separate demo database, filled with a month of sample data.
    #[arg(long)]
    pub demo: bool,
    /// Draw borders with ASCII characters (for terminals that draw box characters double-width).
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Act as this operator (commands that read or change registers ask for the password;
    /// FRONTDESK_PASSWORD is read if set).
    #[arg(long = "as", global = true, value_name = "CODE")]
    pub as_code: Option<String>,
    #[command(subcommand)]
    pub cmd: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database and, if it has no operator yet, the first administrator.
    Init {
        #[arg(long)]
        code: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
    /// Manage operators.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Check the file's integrity and the audit trail; exits non-zero on any problem.
    Check,
    /// Write a consistent copy of the database to OUT.
    Backup { out: PathBuf },
    /// Write a register as CSV (to standard output, or --out).
    Export {
        register: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Read a CSV file into a register; a bad row imports nothing.
    Import { register: String, file: PathBuf },
    /// Print the entries matching TEXT across registers.
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// The month's statistics: `report complaints --month 2026-11 [--format text|json|csv]`.
    Report {
        /// Which report: complaints.
        kind: String,
        /// YYYY-MM (default: last month).
        #[arg(long)]
        month: Option<String>,
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Fill a database with demo data; --scale N adds N records to every register.
    Demo {
        #[arg(long)]
        scale: Option<usize>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add an operator; the password is asked for (or read from standard input).
    Add {
        code: String,
        #[arg(long)]
        name: String,
        /// Comma-separated: receptionist, dispatcher, archivist, supervisor, manager, admin.
        #[arg(long)]
        roles: String,
    },
    List,
    /// Set an operator's password.
    Passwd {
        code: String,
    },
    /// Disable an operator (their records stay).
    Disable {
        code: String,
    },
}

pub struct Env {
    pub i18n: I18n,
    pub offset: i32,
    pub now: i64,
}

impl Env {
    fn say(&self, key: &str, args: &[(&str, String)]) -> String {
        self.i18n.tf(key, args)
    }
    fn ctx(&self) -> Context {
        Context::new(self.now, self.offset)
    }
}

/// Errors for the command line, already in the operator's language.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn store_err(env: &Env, e: StoreError) -> CliError {
    CliError(env.i18n.msg(&e.msg()))
}

fn read_secret(prompt: &str) -> std::io::Result<String> {
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }
}

/// Who runs a command on a register: an operator whose roles the register declares for `act`.
fn authenticate_for(
    env: &Env,
    store: &mut Store,
    code: Option<&str>,
    def: &RegisterDef,
    act: Act,
) -> Result<Operator, CliError> {
    let op = authenticate(env, store, code, None)?;
    if !access::may(def, act, &op.roles) {
        return Err(CliError(env.i18n.t("err.permission").to_string()));
    }
    Ok(op)
}

/// Who runs a command that needs an operator: `--as CODE` and that operator's password.
fn authenticate(
    env: &Env,
    store: &mut Store,
    code: Option<&str>,
    need: Option<Permission>,
) -> Result<Operator, CliError> {
    let code = code.ok_or_else(|| CliError(env.say("cli.need_as", &[])))?;
    let pw = match std::env::var("FRONTDESK_PASSWORD") {
        Ok(p) => p,
        Err(_) => read_secret(&env.say("cli.password_for", &[("code", code.to_string())]))
            .map_err(|e| CliError(e.to_string()))?,
    };
    let op = store.login(code, &pw, env.now).map_err(|e| CliError(env.i18n.msg(&e.msg(env.offset))))?;
    if need.is_some_and(|p| !op.has(p)) || op.disabled {
        return Err(CliError(env.i18n.t("err.permission").to_string()));
    }
    Ok(op)
}

fn find_register(env: &Env, name: &str) -> Result<&'static RegisterDef, CliError> {
    let name = name.trim_end_matches('s');
    register(name).ok_or_else(|| {
        let known: Vec<&str> = REGISTERS.iter().map(|r| r.name).collect();
        CliError(env.say("cli.unknown_register", &[("name", name.to_string()), ("known", known.join(", "))]))
    })
}

pub fn run_command(cmd: Command, cli: &Cli, store: &mut Store, env: &Env) -> Result<i32, CliError> {
    let out = &mut std::io::stdout();
    match cmd {
        Command::Init { code, name } => {
            if store.operator_count().map_err(|e| store_err(env, e))? == 0
                && let (Some(code), Some(name)) = (code, name)
            {
                let pw = read_secret(&env.say("cli.new_password", &[("code", code.clone())]))
                    .map_err(|e| CliError(e.to_string()))?;
                let roles = [crate::domain::Role::GeneralManager, crate::domain::Role::Admin];
                store
                    .create_operator(
                        None,
                        env.now,
                        &NewOperator { code: &code, name: &name, roles: &roles, password: &pw },
                    )
                    .map_err(|e| store_err(env, e))?;
                println!("{}", env.say("cli.user_added", &[("code", code)]));
            }
            println!("{}", env.say("cli.ready", &[("path", store.path().display().to_string())]));
            Ok(0)
        }
        Command::User { cmd } => user(cmd, cli, store, env),
        Command::Check => {
            let r = store.check().map_err(|e| store_err(env, e))?;
            for p in &r.integrity {
                println!("{}", env.say("cli.check_integrity", &[("detail", p.clone())]));
            }
            if r.triggers_missing {
                println!("{}", env.say("cli.check_triggers", &[]));
            }
            if let Some((id, why)) = &r.first_bad {
                println!("{}", env.say("cli.check_bad_row", &[("id", id.to_string()), ("why", why.clone())]));
            }
            if r.ok() {
                println!("{}", env.say("cli.check_ok", &[("rows", r.audit_rows.to_string())]));
                Ok(0)
            } else {
                Ok(1)
            }
        }
        Command::Backup { out: path } => {
            store.backup(&path).map_err(|e| store_err(env, e))?;
            println!("{}", env.say("cli.backup_done", &[("path", path.display().to_string())]));
            Ok(0)
        }
        Command::Export { register: name, out: path } => {
            let def = find_register(env, &name)?;
            authenticate_for(env, store, cli.as_code.as_deref(), def, Act::Export)?;
            let mut buf = Vec::new();
            export(store, def, env, &mut buf)?;
            match path {
                Some(p) => std::fs::write(&p, buf).map_err(|e| CliError(format!("{}: {e}", p.display())))?,
                None => out.write_all(&buf).map_err(|e| CliError(e.to_string()))?,
            }
            Ok(0)
        }
        Command::Import { register: name, file } => {
            let def = find_register(env, &name)?;
            let op = authenticate_for(env, store, cli.as_code.as_deref(), def, Act::Import)?;
            let data = std::fs::read(&file).map_err(|e| CliError(format!("{}: {e}", file.display())))?;
            let rows = parse_csv(store, def, env, &data)?;
            let plans = plan_import(store, def, &op, env, rows)?;
            let n = store.import(op.id, &env.ctx(), def, &plans).map_err(|e| store_err(env, e))?;
            println!("{}", env.say("cli.imported", &[("n", n.to_string()), ("register", def.name.to_string())]));
            Ok(0)
        }
        Command::Search { text, limit } => {
            let op = authenticate(env, store, cli.as_code.as_deref(), None)?;
            let mut found = 0;
            for def in REGISTERS {
                // rule I6: only the registers this operator may see
                if !access::may(def, Act::View, &op.roles) {
                    continue;
                }
                let recs = store
                    .search(def, &text, crate::domain::register::Cond::All, None, limit, &env.ctx())
                    .map_err(|e| store_err(env, e))?;
                for r in recs {
                    found += 1;
                    let summary: Vec<String> = def
                        .fields
                        .iter()
                        .zip(&r.values)
                        .filter(|(d, v)| d.search && !v.is_null())
                        .map(|(d, v)| format(d.kind, v, env.offset).replace('\n', " "))
                        .collect();
                    let void =
                        if r.voided.is_some() { format!(" [{}]", env.i18n.t("list.voided")) } else { String::new() };
                    println!("{}  {}{}", r.number, summary.join(" | "), void);
                }
            }
            if found == 0 {
                println!("{}", env.i18n.t("list.no_match"));
            }
            Ok(0)
        }
        Command::Report { kind, month, format } => {
            if kind.trim_end_matches('s') != "complaint" {
                return Err(CliError(env.say("cli.unknown_report", &[("name", kind)])));
            }
            authenticate(env, store, cli.as_code.as_deref(), Some(Permission::ViewReports))?;
            let today = to_local(env.now, env.offset).date();
            let first = match month.as_deref() {
                Some(m) => stats::parse_month(m)
                    .ok_or_else(|| CliError(env.say("cli.bad_month", &[("month", m.to_string())])))?,
                None => {
                    stats::pending(today, false, &store.settings().unwrap_or_default()).map(|p| p.0).unwrap_or(today)
                }
            };
            let text = report_text(store, env, first, &format)?;
            print!("{text}");
            Ok(0)
        }
        Command::Demo { scale } => {
            let is_demo = store.meta("demo").map_err(|e| store_err(env, e))?.is_some();
            let empty = store.operator_count().map_err(|e| store_err(env, e))? == 0;
            if !is_demo && !empty {
                return Err(CliError(env.say("cli.demo_refused", &[])));
            }
            let started = std::time::Instant::now();
            let before = count_all(store).map_err(|e| store_err(env, e))?;
            match scale {
                Some(n) => crate::demo::scale(store, n, env.now, env.offset).map_err(|e| store_err(env, e))?,
                None => crate::demo::seed(store, env.now, env.offset).map_err(|e| store_err(env, e))?,
            }
            let secs = started.elapsed().as_secs_f64();
            let rows = count_all(store).map_err(|e| store_err(env, e))? - before;
            let rate = if secs > 0.0 { (rows as f64 / secs) as u64 } else { 0 };
            println!(
                "{}",
                env.say(
                    "cli.demo_done",
                    &[("rows", rows.to_string()), ("secs", format!("{secs:.2}")), ("rate", rate.to_string())]
                )
            );
            Ok(0)
        }
    }
}

/// The complaint statistics for the month starting `first`, in a format. A submitted month
/// gives the figures frozen when it was submitted, who submitted it and when, and the
/// figures that read differently now (rule C13).
pub fn report_text(store: &Store, env: &Env, first: chrono::NaiveDate, format: &str) -> Result<String, CliError> {
    let settings = store.settings().unwrap_or_default();
    let (from, to) = stats::month_bounds(first, env.offset);
    let rows = store.complaint_rows(from, to).map_err(|e| store_err(env, e))?;
    let month = stats::format_month(first);
    let live = stats::report(&month, &rows, env.now, &settings);
    let submission = store.submission("complaints", &month).map_err(|e| store_err(env, e))?;
    let departments = store.departments().unwrap_or_default();
    let operators = store.operators().unwrap_or_default();
    let none = env.i18n.t("stats.none").to_string();
    let name = |kind: &str, id: Option<i64>| -> String {
        match (kind, id) {
            (_, None) => none.clone(),
            ("department", Some(id)) => departments.iter().find(|d| d.0 == id).map(|d| d.1.clone()).unwrap_or_default(),
            (_, Some(id)) => operators.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default(),
        }
    };
    let submitted = submission.as_ref().map(|s| crate::report::Submitted {
        at: to_local(s.at, env.offset).format("%Y-%m-%d %H:%M").to_string(),
        by: name("operator", Some(s.by)),
    });
    let (r, now) = match submission.and_then(|s| s.figures) {
        Some(frozen) => (frozen, Some(live)),
        None => (live, None),
    };
    match format {
        "json" => {
            serde_json::to_string_pretty(&crate::report::json(&r, &env.i18n, &name, submitted.as_ref(), now.as_ref()))
                .map(|s| s + "\n")
                .map_err(|e| CliError(e.to_string()))
        }
        "csv" => crate::report::csv(&r, &env.i18n, &name).map_err(CliError),
        "text" => {
            let due = stats::due_date(first, &settings).format("%Y-%m-%d").to_string();
            let state = match &submitted {
                Some(s) => env.say("stats.submitted_by", &[("name", s.by.clone()), ("time", s.at.clone())]),
                None => env.say("stats.not_submitted", &[]),
            };
            let mut head = env.say("stats.title", &[("month", month.clone()), ("due", due), ("state", state)]);
            match (&submitted, &now) {
                (Some(_), Some(now)) => {
                    head.push_str(&format!("\n{}", env.say("stats.frozen", &[])));
                    let note =
                        crate::report::changes(&env.i18n, &r, now).unwrap_or_else(|| env.say("stats.unchanged", &[]));
                    head.push_str(&format!("\n{note}"));
                }
                (Some(_), None) => head.push_str(&format!("\n{}", env.say("stats.not_frozen", &[]))),
                _ => {}
            }
            Ok(crate::report::text(&r, &env.i18n, &name, &head, &settings))
        }
        other => Err(CliError(env.say("cli.bad_format", &[("format", other.to_string())]))),
    }
}

/// Records in every register.
fn count_all(store: &Store) -> crate::store::Result<i64> {
    REGISTERS.iter().map(|d| store.count(d)).sum()
}

fn user(cmd: UserCmd, cli: &Cli, store: &mut Store, env: &Env) -> Result<i32, CliError> {
    let first = store.operator_count().map_err(|e| store_err(env, e))? == 0;
    match cmd {
        UserCmd::Add { code, name, roles } => {
            let roles = parse_roles(&roles)
                .map_err(|bad| CliError(env.i18n.msg(&Msg::new("err.operator.role").with("role", bad))))?;
            // The very first operator needs no one to vouch for them.
            let actor = if first {
                None
            } else {
                Some(authenticate(env, store, cli.as_code.as_deref(), Some(Permission::ManageOperators))?.id)
            };
            let pw = read_secret(&env.say("cli.new_password", &[("code", code.clone())]))
                .map_err(|e| CliError(e.to_string()))?;
            store
                .create_operator(
                    actor,
                    env.now,
                    &NewOperator { code: &code, name: &name, roles: &roles, password: &pw },
                )
                .map_err(|e| store_err(env, e))?;
            println!("{}", env.say("cli.user_added", &[("code", code)]));
        }
        UserCmd::List => {
            for o in store.operators().map_err(|e| store_err(env, e))? {
                let roles: Vec<String> = o.roles.iter().map(|r| env.i18n.t(r.label_key()).to_string()).collect();
                let status = if o.disabled { env.i18n.t("admin.disabled") } else { env.i18n.t("admin.active") };
                println!("{:<12} {:<16} {:<40} {}", o.code, o.name, roles.join(","), status);
            }
        }
        UserCmd::Passwd { code } => {
            let admin = authenticate(env, store, cli.as_code.as_deref(), Some(Permission::ManageOperators))?;
            let op = store
                .operator_by_code(&code)
                .map_err(|e| store_err(env, e))?
                .ok_or_else(|| CliError(env.say("cli.no_user", &[("code", code.clone())])))?;
            let pw = read_secret(&env.say("cli.new_password", &[("code", code.clone())]))
                .map_err(|e| CliError(e.to_string()))?;
            store.set_password(admin.id, env.now, op.id, &pw).map_err(|e| store_err(env, e))?;
            println!("{}", env.say("cli.passwd_done", &[("code", code)]));
        }
        UserCmd::Disable { code } => {
            let admin = authenticate(env, store, cli.as_code.as_deref(), Some(Permission::ManageOperators))?;
            let mut op = store
                .operator_by_code(&code)
                .map_err(|e| store_err(env, e))?
                .ok_or_else(|| CliError(env.say("cli.no_user", &[("code", code.clone())])))?;
            op.disabled = true;
            store.update_operator(admin.id, env.now, &op).map_err(|e| store_err(env, e))?;
            println!("{}", env.say("cli.disabled", &[("code", code)]));
        }
    }
    Ok(0)
}

// ---- CSV ----

/// Columns: number, created_at, every field by its key, voided_at, void_reason. Times
/// are local `YYYY-MM-DD HH:MM`; choices by code; yes/no; operators by code; customers
/// by card number.
pub fn columns(def: &RegisterDef) -> Vec<&'static str> {
    let mut c = vec!["number", "created_at"];
    c.extend(def.fields.iter().map(|f| f.key));
    c.extend(["voided_at", "void_reason"]);
    c
}

/// What a register's lookups are written as in CSV, read once for a whole export:
/// operators by code, departments by name; records by number, as each is met.
struct Names {
    operators: Vec<Operator>,
    departments: Vec<(i64, String)>,
}

impl Names {
    fn load(store: &Store) -> crate::store::Result<Names> {
        Ok(Names { operators: store.operators()?, departments: store.departments()? })
    }

    fn cell(&self, store: &Store, kind: FieldKind, v: &Value, offset: i32) -> String {
        match (kind, v) {
            (FieldKind::Lookup(Lookup::Operator), Value::Ref(id)) => {
                self.operators.iter().find(|o| o.id == *id).map(|o| o.code.clone()).unwrap_or_default()
            }
            (FieldKind::Lookup(Lookup::Department), Value::Ref(id)) => {
                self.departments.iter().find(|d| d.0 == *id).map(|d| d.1.clone()).unwrap_or_default()
            }
            (FieldKind::Lookup(l), Value::Ref(id)) => {
                l.register().and_then(|d| store.get(d, *id).ok()).map(|r| r.number).unwrap_or_default()
            }
            (FieldKind::YesNo, v) => if v.as_bool() { "yes" } else { "no" }.into(),
            (FieldKind::Phones, Value::Text(s)) => s.replace(',', ", "),
            (FieldKind::Phone, Value::Text(s)) => s.clone(),
            (k, v) => format(k, v, offset),
        }
    }
}

pub fn export(store: &Store, def: &RegisterDef, env: &Env, out: &mut dyn Write) -> Result<(), CliError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(columns(def)).map_err(|e| CliError(e.to_string()))?;
    let names = Names::load(store).map_err(|e| store_err(env, e))?;
    let mut dir = crate::store::PageDir::Last;
    let time = |t: i64| to_local(t, env.offset).format("%Y-%m-%d %H:%M").to_string();
    // Oldest first, a page at a time: never the whole register in memory.
    loop {
        let page = store
            .page(def, crate::domain::register::Cond::All, dir, 1000, &env.ctx())
            .map_err(|e| store_err(env, e))?;
        // each page comes newest first
        let page: Vec<_> = page.into_iter().rev().collect();
        let Some(last) = page.last().map(|r| r.id) else { break };
        for r in &page {
            let mut row = vec![r.number.clone(), time(r.created_at)];
            for (d, v) in def.fields.iter().zip(&r.values) {
                row.push(names.cell(store, d.kind, v, env.offset));
            }
            row.push(r.voided.as_ref().map(|v| time(v.at)).unwrap_or_default());
            row.push(r.voided.as_ref().map(|v| v.reason.clone()).unwrap_or_default());
            w.write_record(&row).map_err(|e| CliError(e.to_string()))?;
        }
        dir = crate::store::PageDir::After(last);
    }
    w.flush().map_err(|e| CliError(e.to_string()))?;
    Ok(())
}

/// Reads every row first; the first bad one stops the import with its line and reason.
/// A CSV row read into values: its line, its paper date, its values (not yet judged).
pub type CsvRow = (u64, Option<i64>, Vec<Value>);

pub fn parse_csv(store: &Store, def: &RegisterDef, env: &Env, data: &[u8]) -> Result<Vec<CsvRow>, CliError> {
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(data);
    let header: Vec<String> =
        r.headers().map_err(|e| CliError(e.to_string()))?.iter().map(|h| h.trim().to_string()).collect();
    let known = columns(def);
    for h in &header {
        if !known.contains(&h.as_str()) {
            return Err(CliError(
                env.say("cli.csv_unknown_column", &[("column", h.clone()), ("known", known.join(","))]),
            ));
        }
    }
    let bad = |line: u64, field: &str, m: Msg| {
        CliError(env.say(
            "cli.csv_bad_row",
            &[("line", line.to_string()), ("field", field.to_string()), ("reason", env.i18n.msg(&m))],
        ))
    };
    let departments = store.departments().unwrap_or_default();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| CliError(e.to_string()))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let get = |k: &str| header.iter().position(|h| h == k).and_then(|i| rec.get(i)).unwrap_or("").trim();
        let ctx = env.ctx();
        let created = match get("created_at") {
            "" => None,
            s => match parse(FieldKind::DateTime, s, None, &ctx) {
                Ok(Value::Time(t)) => Some(t),
                Ok(_) => None,
                Err(m) => return Err(bad(line, "created_at", m)),
            },
        };
        if let Some(t) = created {
            if t > env.now + 15 * 60 {
                return Err(bad(line, "created_at", Msg::new("err.visitor.future")));
            }
        }
        // A voided record is struck through in its register, never brought back to life.
        for k in ["voided_at", "void_reason"] {
            if !get(k).is_empty() {
                return Err(bad(line, k, Msg::new("err.import.voided")));
            }
        }
        let mut values = Vec::new();
        for d in def.fields {
            let raw = get(d.key);
            let pick = match d.kind {
                FieldKind::Lookup(Lookup::Operator) if !raw.is_empty() => Some(
                    store
                        .operator_by_code(raw)
                        .ok()
                        .flatten()
                        .map(|o| o.id)
                        .ok_or_else(|| bad(line, d.key, Msg::new("err.lookup.pick")))?,
                ),
                FieldKind::Lookup(Lookup::Department) if !raw.is_empty() => Some(
                    departments
                        .iter()
                        .find(|(_, n)| n == raw)
                        .map(|(id, _)| *id)
                        .ok_or_else(|| bad(line, d.key, Msg::new("err.lookup.pick")))?,
                ),
                FieldKind::Lookup(l) if !raw.is_empty() && l.register().is_some() => {
                    let id = l.register().and_then(|d| store.id_by_number(d, raw).ok().flatten());
                    Some(id.ok_or_else(|| bad(line, d.key, Msg::new("err.lookup.pick")))?)
                }
                _ => None,
            };
            let raw = if matches!(d.kind, FieldKind::Lookup(_)) && pick.is_none() { "" } else { raw };
            let v = parse(d.kind, raw, pick, &ctx).map_err(|m| bad(line, d.key, m))?;
            values.push(v);
        }
        out.push((line, created, values));
    }
    Ok(out)
}

/// Judges every imported row through the one write path, as the operator importing it:
/// the register's import right, its rules, the stamped people's steps, possible
/// histories. Every bad line is named; one bad line imports nothing.
pub fn plan_import(
    store: &Store,
    def: &'static RegisterDef,
    op: &Operator,
    env: &Env,
    rows: Vec<CsvRow>,
) -> Result<Vec<Plan>, CliError> {
    let settings = store.settings().map_err(|e| store_err(env, e))?;
    let people: Vec<Person> = store
        .operators()
        .map_err(|e| store_err(env, e))?
        .into_iter()
        .map(|o| Person { id: o.id, roles: o.roles, department: o.department_id })
        .collect();
    let who = Actor { id: op.id, roles: &op.roles, department: op.department_id };
    let ctx = env.ctx();
    let mut plans = Vec::with_capacity(rows.len());
    let mut errors: Vec<String> = Vec::new();
    for (line, created, values) in rows {
        let linked = def
            .inherit
            .and_then(|inh| def.value(&values, inh.field).as_i64().and_then(|id| store.get(inh.target, id).ok()));
        let owner = def.link.and_then(|link| match def.value(&values, link.phone) {
            Value::Text(p) if def.value(&values, link.field).is_null() => {
                store.by_phone(link.target, p).ok().and_then(|ids| ids.first().copied())
            }
            _ => None,
        });
        let facts = Facts { linked: linked.as_ref(), phone_owner: owner, people: &people };
        match plan(def, Change::Import { created, values }, who, &settings, &ctx, facts) {
            Ok(p) => plans.push(p),
            Err(problems) => {
                for (field, m) in problems {
                    let field = if field.is_empty() { "-" } else { field };
                    errors.push(env.say(
                        "cli.csv_bad_row",
                        &[("line", line.to_string()), ("field", field.to_string()), ("reason", env.i18n.msg(&m))],
                    ));
                }
            }
        }
        if errors.len() >= 100 {
            break;
        }
    }
    if errors.is_empty() { Ok(plans) } else { Err(CliError(errors.join("\n"))) }
}

/// The language for this run.
pub fn lang(cli: &Cli, setting: &str) -> Lang {
    Lang::choose(cli.lang.as_deref(), setting)
}
