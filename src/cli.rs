//! The command line: the application, and the commands an office runs from a shell.

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use unicode_width::UnicodeWidthStr;

use crate::domain::access::{self, Act};
use crate::domain::plan::{Actor, Change, Facts, Person, Plan, plan};
use crate::domain::register::{Context, FieldDef, FieldKind, Lookup, RegisterDef, format, parse, to_local};
use crate::domain::roles::parse_roles;
use crate::domain::text::{echo, protect_cell, sanitize, unprotect_cell};
use crate::domain::{Msg, Permission, REGISTERS, Role, Value, register, stats};
use crate::i18n::{I18n, Lang};
use crate::model::admin::ROLE_SEPARATOR;
use crate::store::auth::{NewOperator, OperatorInput, check_password, operator_problems};
use crate::store::output::{Output, OutputError};
use crate::store::{Operator, Store, StoreError};

#[derive(Parser, Debug)]
#[command(name = "frontdesk", version, about = "Keyboard-driven registers for the front desk")]
pub struct Cli {
    /// The database file (default: frontdesk.sqlite in the user's data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Language: en or zh-CN (default: LC_ALL/LANG, then the shared setting).
    #[arg(long, global = true, value_name = "LANG")]
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
    /// How long a command waits for another terminal's write before it gives up, in
    /// seconds (rule F15: a bulk import waits its turn).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 600, hide_default_value = true)]
    pub wait: u64,
    #[command(subcommand)]
    pub cmd: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database and, if it has no operator yet, the first administrator.
    Init {
        /// The first administrator's operator code.
        #[arg(long, requires = "name", value_name = "CODE")]
        code: Option<String>,
        /// The first administrator's name.
        #[arg(long, requires = "code", value_name = "NAME")]
        name: Option<String>,
    },
    /// Manage operators.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Manage departments.
    Dept {
        #[command(subcommand)]
        cmd: DeptCmd,
    },
    /// Check the file's integrity, the audit trail and every register row against it;
    /// exits non-zero on any problem.
    Check {
        /// A head hash printed earlier (on a report or backup, kept outside the file):
        /// whether the trail still contains it, and at which entry.
        #[arg(long, value_name = "HASH")]
        anchor: Option<String>,
    },
    /// Write a consistent copy of the database to OUT.
    Backup {
        /// The new file.
        #[arg(value_name = "OUT")]
        out: PathBuf,
        /// Replace OUT if it exists (never the database itself).
        #[arg(long)]
        force: bool,
    },
    /// Write a register as CSV (to standard output, or --out).
    Export {
        /// visitor, customer, complaint or callback.
        #[arg(value_name = "REGISTER")]
        register: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the --out file if it exists (never the database itself).
        #[arg(long, requires = "out")]
        force: bool,
        /// Start with a UTF-8 byte order mark (default for an --out file ending in .csv).
        #[arg(long, conflicts_with = "no_bom")]
        bom: bool,
        /// Write no byte order mark (default for standard output and other files).
        #[arg(long = "no-bom")]
        no_bom: bool,
    },
    /// Read a CSV file into a register; a bad row imports nothing.
    Import {
        /// visitor, customer, complaint or callback.
        #[arg(value_name = "REGISTER")]
        register: String,
        /// The CSV file (UTF-8, a header of column keys).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print the entries matching TEXT across registers.
    Search {
        /// What to look for: a name, phone digits, a number, a word.
        #[arg(value_name = "TEXT")]
        text: String,
        /// At most this many entries per register (default 20).
        #[arg(long, default_value_t = 20, hide_default_value = true, value_name = "N")]
        limit: usize,
    },
    /// The month's statistics: `report complaints --month 2026-11 [--format text|json|csv]`.
    Report {
        /// Which report: complaints.
        #[arg(value_name = "KIND")]
        kind: String,
        /// YYYY-MM (default: last month).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        /// text, json or csv (default text).
        #[arg(long, default_value = "text", hide_default_value = true, value_name = "FORMAT")]
        format: String,
    },
    /// Fill a database with demo data; --scale N adds N records to every register.
    Demo {
        /// Records to add to every register.
        #[arg(long, value_name = "N")]
        scale: Option<usize>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add an operator; the password is asked for (or read from standard input).
    Add {
        /// The operator's code, typed at log-in: letters, digits, . _ -
        #[arg(value_name = "CODE")]
        code: String,
        /// The operator's name as colleagues know it.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Comma-separated: receptionist, dispatcher, archivist, supervisor, manager, admin.
        #[arg(long, value_name = "ROLES")]
        roles: String,
        /// The operator's department (see `dept list`).
        #[arg(long, value_name = "NAME")]
        department: Option<String>,
    },
    /// List the operators with their roles, department and state.
    List,
    /// Set an operator's password.
    Passwd {
        /// The operator's code.
        #[arg(value_name = "CODE")]
        code: String,
    },
    /// Disable an operator (their records stay).
    Disable {
        /// The operator's code.
        #[arg(value_name = "CODE")]
        code: String,
    },
    /// Enable a disabled operator again.
    Enable {
        /// The operator's code.
        #[arg(value_name = "CODE")]
        code: String,
    },
    /// Put an operator in a department ("" for none).
    Dept {
        /// The operator's code.
        #[arg(value_name = "CODE")]
        code: String,
        /// The department's name; "" takes the operator out of any.
        #[arg(long, value_name = "NAME")]
        department: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DeptCmd {
    /// Add a department.
    Add {
        /// The department's name.
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Rename a department; records and operators follow.
    Rename {
        /// The department's name now.
        #[arg(value_name = "OLD")]
        old: String,
        /// Its new name.
        #[arg(value_name = "NEW")]
        new: String,
    },
    /// Retire a department: old records keep it, it is offered no more.
    Retire {
        /// The department's name.
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Offer a retired department again.
    Restore {
        /// The department's name.
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// List the departments.
    List,
}

// ---- help in the operator's language ----

/// The language for help and for errors met before the database is open: `--lang`,
/// then LC_ALL/LANG (the shared setting is not known yet).
pub fn early_lang(args: &[String]) -> Lang {
    let mut flag = None;
    for (i, a) in args.iter().enumerate() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            flag = Some(v.to_string());
        } else if a == "--lang" {
            flag = args.get(i + 1).cloned();
        }
    }
    Lang::choose(flag.as_deref(), "en")
}

/// The command line's definition with every description and heading in `i18n`'s language.
pub fn command(i18n: &I18n) -> clap::Command {
    let cmd = Cli::command().disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help(i18n.t("cli.help.arg.version").to_string()),
    );
    localize(cmd, "", i18n)
}

fn localize(mut cmd: clap::Command, path: &str, i18n: &I18n) -> clap::Command {
    let text = |key: &str| -> Option<String> {
        let k = format!("cli.help.{key}");
        i18n.has(&k).then(|| i18n.t(&k).to_string())
    };
    if let Some(about) = text(if path.is_empty() { "about" } else { path }) {
        cmd = cmd.about(about);
    }
    // Headings are `&'static str` to clap; these few live as long as the run anyway.
    let fixed = |key: &str| -> &'static str { Box::leak(i18n.t(key).to_string().into_boxed_str()) };
    let options = fixed("cli.help.options");
    let arguments = fixed("cli.help.arguments");
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for (i, id) in ids.into_iter().enumerate() {
        let help = text(&format!("{path}.{id}")).or_else(|| text(&format!("arg.{id}")));
        cmd = cmd.mut_arg(&id, |a| {
            let heading = if a.is_positional() { arguments } else { options };
            // a command's own options first, then those every command takes, then help
            let order = match a.get_id().as_str() {
                "version" => 201,
                _ if a.is_global_set() => 100 + i,
                _ => i,
            };
            let a = a.help_heading(heading).display_order(order);
            match help {
                Some(h) => a.help(h),
                None => a,
            }
        });
    }
    cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(i18n.t("cli.help.arg.help").to_string())
                .help_heading(options)
                .display_order(200),
        )
        .subcommand_help_heading(fixed("cli.help.commands"))
        .subcommand_value_name(fixed("cli.help.command"))
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            i18n.t("cli.help.usage")
        ));
    let subs: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for name in subs {
        let sub = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
        cmd = cmd.mut_subcommand(&name, |c| localize(c, &sub, i18n));
    }
    cmd
}

/// Parses the command line, with help and usage in the operator's language.
pub fn parse_args() -> Cli {
    let args: Vec<String> = std::env::args().collect();
    let i18n = I18n::new(early_lang(&args));
    let parsed = command(&i18n).try_get_matches_from(&args).and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => cli,
        Err(e) => match usage_error(&i18n, &e) {
            Some(text) => {
                eprintln!("{text}");
                std::process::exit(2)
            }
            // help and version: clap prints them, in the language built in above
            None => e.exit(),
        },
    }
}

/// A command line that was not understood, said in the operator's language; None for
/// help and version, which are not errors.
pub fn usage_error(i18n: &I18n, e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    // what the operator typed, quoted back without its escape sequences (F7)
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => echo(s),
        Some(ContextValue::Strings(v)) => v.iter().map(|s| echo(s)).collect::<Vec<_>>().join(", "),
        Some(other) => echo(&other.to_string()),
        None => String::new(),
    };
    let (key, what) = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return None;
        }
        ErrorKind::MissingRequiredArgument => ("cli.usage.missing", ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingSubcommand => ("cli.usage.missing_command", String::new()),
        ErrorKind::UnknownArgument => ("cli.usage.unknown_arg", ctx(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => ("cli.usage.unknown_command", ctx(ContextKind::InvalidSubcommand)),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = ctx(ContextKind::InvalidArg);
            let value = ctx(ContextKind::InvalidValue);
            return Some(i18n.tf("cli.usage.bad_value", &[("arg", arg), ("value", value)]));
        }
        ErrorKind::ArgumentConflict => ("cli.usage.conflict", ctx(ContextKind::InvalidArg)),
        _ => ("cli.usage.other", String::new()),
    };
    Some(i18n.tf(key, &[("what", what)]))
}

pub struct Env {
    pub i18n: I18n,
    pub offset: i32,
    pub now: i64,
}

impl Env {
    /// A message with its values, each sanitised: a value may quote input (F7).
    fn say(&self, key: &str, args: &[(&str, String)]) -> String {
        let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, sanitize(v, true))).collect();
        self.i18n.tf(key, &args)
    }
    fn ctx(&self) -> Context {
        Context::new(self.now, self.offset)
    }
    /// The context of a logged-in operator: what they may see (rule A7).
    fn ctx_for(&self, op: &Operator) -> Context {
        Context { actor: op.id, roles: crate::domain::roles::Roles::of(&op.roles), ..self.ctx() }
    }
}

/// Errors for the command line, already in the operator's language.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    /// Sanitised once more as it is shown: no message reaches the terminal with an escape
    /// sequence in it, whatever it quotes (F7).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&sanitize(&self.0, true))
    }
}

/// A store's refusal said on the command line: no form is open there.
fn store_err(env: &Env, e: StoreError) -> CliError {
    CliError(env.i18n.msg(&e.msg_no_form()))
}

/// An I/O problem with a file (or standard input/output), in the operator's language:
/// the path and the reason the system gave.
pub fn io_error(i18n: &I18n, path: &str, e: &std::io::Error) -> CliError {
    let reason = match (crate::store::io_reason(e), e.raw_os_error()) {
        (Some(key), _) => i18n.t(key).to_string(),
        (None, Some(code)) => i18n.tf("cli.io.os", &[("code", code.to_string())]),
        (None, None) => i18n.t("cli.io.other").to_string(),
    };
    CliError(i18n.tf("cli.io_error", &[("path", sanitize(path, false)), ("reason", reason)]))
}

/// A CSV problem, with the file line it is on (counted from the bytes: see `line_at`).
fn csv_error(env: &Env, path: &str, data: &[u8], e: &csv::Error) -> CliError {
    let line = e.position().map(|p| line_at(data, p.byte())).unwrap_or(0).to_string();
    match e.kind() {
        csv::ErrorKind::Io(io) => io_error(&env.i18n, path, io),
        csv::ErrorKind::Utf8 { .. } => {
            let column = e.position().map(|p| place(data, p.byte() as usize).1).unwrap_or(1).to_string();
            CliError(env.say("cli.csv_utf8", &[("line", line), ("column", column)]))
        }
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => CliError(env.say(
            "cli.csv_fields",
            &[("line", line), ("found", len.to_string()), ("expected", expected_len.to_string())],
        )),
        _ => CliError(env.say("cli.csv_other", &[("line", line)])),
    }
}

/// The file line (from 1) of the record starting at byte `offset` of `data`. The csv
/// crate's own line count is off by one per CRLF line end, which spreadsheet programs
/// write; and after a CRLF a record's offset points at the `\n` of the line before, so
/// line ends at the offset belong to the lines before it.
pub fn line_at(data: &[u8], offset: u64) -> u64 {
    let mut end = (offset as usize).min(data.len());
    while end < data.len() && matches!(data[end], b'\r' | b'\n') {
        end += 1;
    }
    data[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// `line_at` for the records of one file read in order: counts only the bytes since the
/// record before, so reading a long file stays linear.
struct Lines<'a> {
    data: &'a [u8],
    /// Bytes counted so far, and the line ends among them.
    upto: usize,
    ends: u64,
}

impl<'a> Lines<'a> {
    fn new(data: &'a [u8]) -> Lines<'a> {
        Lines { data, upto: 0, ends: 0 }
    }

    fn at(&mut self, offset: u64) -> u64 {
        let data = self.data;
        let mut end = (offset as usize).min(data.len());
        while end < data.len() && matches!(data[end], b'\r' | b'\n') {
            end += 1;
        }
        if end < self.upto {
            (self.upto, self.ends) = (0, 0);
        }
        self.ends += data[self.upto..end].iter().filter(|b| **b == b'\n').count() as u64;
        self.upto = end;
        self.ends + 1
    }
}

/// Standard output for the commands' results. A reader that stops early (`| head`)
/// closes the pipe: the rest is dropped quietly and the command still succeeds.
struct Out {
    w: std::io::StdoutLock<'static>,
    closed: bool,
}

impl Out {
    fn new() -> Out {
        Out { w: std::io::stdout().lock(), closed: false }
    }

    fn bytes(&mut self, env: &Env, b: &[u8]) -> Result<(), CliError> {
        if self.closed {
            return Ok(());
        }
        match self.w.write_all(b).and_then(|_| self.w.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => Err(io_error(&env.i18n, env.i18n.t("cli.stdout"), &e)),
        }
    }

    fn line(&mut self, env: &Env, s: &str) -> Result<(), CliError> {
        self.bytes(env, format!("{s}\n").as_bytes())
    }
}

fn read_secret(env: &Env, prompt: &str) -> Result<String, CliError> {
    let r = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line.trim_end_matches(['\n', '\r']).to_string())
    };
    r.map_err(|e| io_error(&env.i18n, env.i18n.t("cli.stdin"), &e))
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
        Err(_) => read_secret(env, &env.say("cli.password_for", &[("code", echo(code))]))?,
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
        CliError(env.say("cli.unknown_register", &[("name", echo(name)), ("known", known.join(", "))]))
    })
}

/// Commands that may create the database file; the others refuse a missing one rather
/// than leave an empty database behind.
pub fn creates_database(cmd: &Command) -> bool {
    matches!(cmd, Command::Init { .. } | Command::Demo { .. })
}

pub fn run_command(cmd: Command, cli: &Cli, store: &mut Store, env: &Env) -> Result<i32, CliError> {
    let out = &mut Out::new();
    match cmd {
        Command::Init { code, name } => {
            let path = store.path().display().to_string();
            let (Some(code), Some(name)) = (code, name) else {
                out.line(env, &env.say("cli.ready", &[("path", path)]))?;
                if store.operator_count().map_err(|e| store_err(env, e))? == 0 {
                    out.line(env, &env.say("cli.no_operator_yet", &[]))?;
                }
                return Ok(0);
            };
            if store.operator_count().map_err(|e| store_err(env, e))? > 0 {
                return Err(CliError(env.say("cli.operators_exist", &[])));
            }
            let pw = read_secret(env, &env.say("cli.new_password", &[("code", code.clone())]))?;
            let input = OperatorInput {
                code: Some(&code),
                name: &name,
                password: &pw,
                password2: None,
                password_required: true,
            };
            problems(env, operator_problems(&input, store.min_password()))?;
            // The first operator administers the program and runs the office.
            let roles = [Role::GeneralManager, Role::Admin];
            match store.create_operator(
                None,
                env.now,
                &NewOperator { code: &code, name: &name, roles: &roles, password: &pw },
            ) {
                // the office's shared language starts as the one its first operator used
                Ok(id) => {
                    store
                        .set_setting(id, env.now, crate::domain::settings::LANGUAGE, env.i18n.lang.code())
                        .map_err(|e| store_err(env, e))?;
                }
                // another terminal created the first operator meanwhile
                Err(StoreError::Invalid(m)) if m.key == "err.operator.setup_done" => {
                    return Err(CliError(env.say("cli.operators_exist", &[])));
                }
                Err(e) => return Err(store_err(env, e)),
            }
            out.line(env, &env.say("cli.first_added", &[("code", code), ("roles", role_names(env, &roles))]))?;
            out.line(env, &env.say("cli.ready", &[("path", path)]))?;
            Ok(0)
        }
        Command::User { cmd } => user(cmd, cli, store, env, out),
        Command::Dept { cmd } => dept(cmd, cli, store, env, out),
        Command::Check { anchor } => {
            let r = store.check().map_err(|e| store_err(env, e))?;
            for p in &r.integrity {
                out.line(env, &env.say("cli.check_integrity", &[("detail", p.clone())]))?;
            }
            if r.triggers_missing {
                out.line(env, &env.say("cli.check_triggers", &[]))?;
            }
            if let Some((id, why)) = &r.first_bad {
                out.line(env, &env.say("cli.check_bad_row", &[("id", id.to_string()), ("why", why.clone())]))?;
            }
            if let Some((a, state)) = &r.anchor {
                let args = [
                    ("id", a.id.to_string()),
                    ("hash", crate::domain::text::sanitize(a.short(), false)),
                    ("head", r.head.as_ref().map(|h| h.id).unwrap_or(0).to_string()),
                ];
                match state {
                    crate::store::AnchorState::Held => {}
                    crate::store::AnchorState::Cut => out.line(env, &env.say("cli.check_anchor_cut", &args))?,
                    crate::store::AnchorState::Differs => out.line(env, &env.say("cli.check_anchor_differs", &args))?,
                }
            }
            for p in &r.row_problems {
                out.line(env, &audit_row_problem(env, p))?;
            }
            if r.row_problem_count > r.row_problems.len() {
                let n = r.row_problem_count - r.row_problems.len();
                out.line(env, &env.say("cli.check_rows_more", &[("n", n.to_string())]))?;
            }
            let mut ok = r.ok();
            if let Some(h) = &r.head {
                out.line(
                    env,
                    &env.say(
                        "cli.check_head",
                        &[("id", h.id.to_string()), ("hash", crate::domain::text::sanitize(&h.hash, false))],
                    ),
                )?;
            }
            if let Some(hash) = anchor {
                let shown = crate::domain::text::sanitize(&hash, false);
                match store.find_anchor(&hash).map_err(|e| store_err(env, e))? {
                    crate::store::Found::At(id) if r.first_bad.is_none() => {
                        out.line(env, &env.say("cli.check_anchor_found", &[("hash", shown), ("id", id.to_string())]))?
                    }
                    crate::store::Found::NotAHash => {
                        ok = false;
                        out.line(env, &env.say("cli.check_anchor_not_hash", &[("hash", shown)]))?
                    }
                    // a hash in a chain that does not verify proves nothing
                    _ => {
                        ok = false;
                        out.line(env, &env.say("cli.check_anchor_not_found", &[("hash", shown)]))?
                    }
                }
            }
            if ok {
                if r.bulk_rows > 0 {
                    out.line(env, &env.say("cli.check_bulk_rows", &[("n", r.bulk_rows.to_string())]))?;
                }
                out.line(env, &env.say("cli.check_rows_ok", &[("rows", r.rows_checked.to_string())]))?;
                out.line(env, &env.say("cli.check_ok", &[("rows", r.audit_rows.to_string())]))?;
                Ok(0)
            } else {
                Ok(1)
            }
        }
        Command::Backup { out: path, force } => {
            // rule I6: a backup copies every register, so it is for whoever may copy each
            let op = authenticate(env, store, cli.as_code.as_deref(), None)?;
            if !access::may_all(Act::Export, &op.roles) {
                return Err(CliError(env.i18n.t("err.permission").to_string()));
            }
            let head = store.backup(&path, force).map_err(|e| store_err(env, e))?;
            out.line(env, &env.say("cli.backup_done", &[("path", path.display().to_string())]))?;
            if let Some(h) = head {
                out.line(env, &audit_head_line(env, &h))?;
            }
            Ok(0)
        }
        Command::Export { register: name, out: path, force, bom, no_bom } => {
            let def = find_register(env, &name)?;
            let op = authenticate_for(env, store, cli.as_code.as_deref(), def, Act::Export)?;
            let mut buf = Vec::new();
            if bom || (!no_bom && path.as_deref().is_some_and(wants_bom)) {
                buf.extend_from_slice(BOM);
            }
            export(store, def, env, &env.ctx_for(&op), &mut buf)?;
            match path {
                // private from its first byte; an existing file only with --force, the
                // database never (F3, F4)
                Some(p) => {
                    let fail = |e: OutputError| store_err(env, e.store_error(&p));
                    let mut file = Output::create(&p, force, store.path()).map_err(fail)?;
                    file.write_all(&buf).map_err(|e| fail(OutputError::Io(e)))?;
                    file.finish().map_err(|e| fail(OutputError::Io(e)))?;
                }
                None => out.bytes(env, &buf)?,
            }
            Ok(0)
        }
        Command::Import { register: name, file } => {
            let def = find_register(env, &name)?;
            let op = authenticate_for(env, store, cli.as_code.as_deref(), def, Act::Import)?;
            let shown = file.display().to_string();
            let data = std::fs::read(&file).map_err(|e| io_error(&env.i18n, &shown, &e))?;
            // every bad line of the file at once, whether it cannot be read or cannot be
            // planned; any of them imports nothing
            let (rows, mut problems) = read_csv(store, def, env, &data)?;
            let (plans, unplanned) = plan_rows(store, def, &op, env, rows)?;
            problems.extend(unplanned);
            if !problems.is_empty() {
                return Err(refuse(env, problems));
            }
            let n = store.import(op.id, &env.ctx(), def, &plans).map_err(|e| store_err(env, e))?;
            let name = env.i18n.t(&format!("register.{}", def.name)).to_string();
            out.line(env, &env.say("cli.imported", &[("n", n.to_string()), ("register", name)]))?;
            // Paper history makes no cards: the office's own cards come in their own file.
            // A row with a phone no card holds is linked to none, and the operator is told.
            let uncarded = plans.iter().filter(|p| p.linked_new.is_some()).count();
            if let (true, Some(link)) = (uncarded > 0, def.link) {
                let target = env.i18n.t(&format!("register.{}", link.target.name)).to_string();
                out.line(env, &env.say("cli.import_uncarded", &[("n", uncarded.to_string()), ("register", target)]))?;
            }
            // rule C13: a month already submitted keeps its frozen figures; say that these
            // rows change what it would count now
            if let Some(rep) = def.report {
                let months =
                    crate::domain::stats::months_of(rep, def, plans.iter().map(|p| p.values.as_slice()), env.offset);
                let submitted = store.submitted_months(rep.key).map_err(|e| store_err(env, e))?;
                let hit: Vec<String> = months.into_iter().filter(|m| submitted.contains(m)).collect();
                if !hit.is_empty() {
                    out.line(env, &env.say("cli.import_submitted", &[("months", hit.join(", "))]))?;
                }
            }
            Ok(0)
        }
        Command::Search { text, limit } => {
            let op = authenticate(env, store, cli.as_code.as_deref(), None)?;
            let mut found = 0;
            for def in REGISTERS {
                // rule I6: only the registers this operator may see
                if !access::may(def, Act::View, &op.roles) || out.closed {
                    continue;
                }
                // one more than shown, to say when there are more
                let mut recs = store
                    .search(def, &text, crate::domain::register::Cond::All, None, limit + 1, &env.ctx_for(&op))
                    .map_err(|e| store_err(env, e))?;
                let more = recs.len() > limit;
                recs.truncate(limit);
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
                    out.line(env, &format!("{}  {}{}", r.number, summary.join(" | "), void))?;
                }
                // on standard error, so what is piped on stays the entries alone
                if more {
                    let register = env.i18n.t(&format!("register.{}", def.name)).to_string();
                    eprintln!(
                        "{}",
                        env.say("cli.search_more", &[("register", register), ("n", (limit * 5).to_string())])
                    );
                }
            }
            if found == 0 {
                out.line(env, env.i18n.t("list.no_match"))?;
            }
            Ok(0)
        }
        Command::Report { kind, month, format } => {
            // `report complaints`, or `report complaint`
            let Some(def) = stats::declared().find(|d| d.key.trim_end_matches('s') == kind.trim_end_matches('s'))
            else {
                let known: Vec<&str> = stats::declared().map(|d| d.key).collect();
                return Err(CliError(
                    env.say("cli.unknown_report", &[("name", echo(&kind)), ("known", known.join(", "))]),
                ));
            };
            authenticate(env, store, cli.as_code.as_deref(), Some(Permission::ViewReports))?;
            let today = to_local(env.now, env.offset).date();
            let first = match month.as_deref() {
                Some(m) => {
                    stats::parse_month(m).ok_or_else(|| CliError(env.say("cli.bad_month", &[("month", echo(m))])))?
                }
                None => {
                    let s = store.settings().map_err(|e| store_err(env, e))?;
                    stats::pending(def, today, false, &s).map(|p| p.0).unwrap_or(today)
                }
            };
            let head = store.note_head().map_err(|e| store_err(env, e))?;
            let mut text = report_text(store, env, def, first, &format)?;
            // F18: every report carries the audit trail's head, recorded as its anchor;
            // CSV says it on standard error so the file stays a table
            if let Some(h) = head {
                match format.as_str() {
                    "json" => {
                        // the object's last member, its order kept
                        if let Some(body) = text.trim_end().strip_suffix('}') {
                            let head = serde_json::json!({ "entry": h.id, "hash": h.hash });
                            text = format!("{},\n  \"audit_head\": {head}\n}}\n", body.trim_end());
                        }
                    }
                    "csv" => eprintln!("{}", audit_head_line(env, &h)),
                    _ => text.push_str(&format!("\n{}\n", audit_head_line(env, &h))),
                }
            }
            out.bytes(env, text.as_bytes())?;
            Ok(0)
        }
        Command::Demo { scale } => {
            let is_demo = store.meta("demo").map_err(|e| store_err(env, e))?.is_some();
            let empty = store.operator_count().map_err(|e| store_err(env, e))? == 0;
            if !is_demo && !empty {
                return Err(CliError(env.say("cli.demo_refused", &[])));
            }
            // demo data goes into every register: once there are operators, one who may
            // import into each says so
            if !empty {
                let op = authenticate(env, store, cli.as_code.as_deref(), None)?;
                if !access::may_all(Act::Import, &op.roles) {
                    return Err(CliError(env.i18n.t("err.permission").to_string()));
                }
            }
            let started = std::time::Instant::now();
            let before = count_all(store).map_err(|e| store_err(env, e))?;
            match scale {
                Some(n) => crate::demo::scale(store, n, env.now, env.offset).map_err(|e| store_err(env, e))?,
                None => crate::demo::seed(store, env.now, env.offset).map_err(|e| store_err(env, e))?,
            }
            // a new demo office speaks the language of the terminal that made it
            if empty {
                store
                    .set_setting(1, env.now, crate::domain::settings::LANGUAGE, env.i18n.lang.code())
                    .map_err(|e| store_err(env, e))?;
            }
            let secs = started.elapsed().as_secs_f64();
            let rows = count_all(store).map_err(|e| store_err(env, e))? - before;
            let rate = if secs > 0.0 { (rows as f64 / secs) as u64 } else { 0 };
            out.line(
                env,
                &env.say(
                    "cli.demo_done",
                    &[("rows", rows.to_string()), ("secs", format!("{secs:.2}")), ("rate", rate.to_string())],
                ),
            )?;
            Ok(0)
        }
    }
}

/// A register's monthly report for the month starting `first`, in a format. A submitted
/// month gives the figures frozen when it was submitted, who submitted it and when, and the
/// figures that read differently now (rule C13).
pub fn report_text(
    store: &Store,
    env: &Env,
    def: &stats::ReportDef,
    first: chrono::NaiveDate,
    format: &str,
) -> Result<String, CliError> {
    let settings = store.settings().map_err(|e| store_err(env, e))?;
    let (from, to) = stats::month_bounds(first, env.offset);
    let rows = store.report_rows(def, from, to).map_err(|e| store_err(env, e))?;
    let month = stats::format_month(first);
    let live = stats::report(def, &month, to, &rows, env.now, &settings);
    let submission = store.submission(def.key, &month).map_err(|e| store_err(env, e))?;
    let departments = store.departments().unwrap_or_default();
    let operators = store.operators().unwrap_or_default();
    let operator = |id: i64| operators.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default();
    let name = crate::report::Names {
        department: &|id| departments.iter().find(|d| d.0 == id).map(|d| d.1.clone()).unwrap_or_default(),
        operator: &operator,
    };
    let submitted = submission.as_ref().map(|s| crate::report::Submitted {
        at: to_local(s.at, env.offset).format("%Y-%m-%d %H:%M").to_string(),
        by: operator(s.by),
    });
    let (r, now) = match submission.and_then(|s| s.figures) {
        Some(frozen) => (frozen, Some(live)),
        None => (live, None),
    };
    match format {
        "json" => {
            let j = crate::report::json(def, &r, &env.i18n, &name, submitted.as_ref(), now.as_ref());
            serde_json::to_string_pretty(&j).map(|s| s + "\n").map_err(|e| CliError(e.to_string()))
        }
        "csv" => crate::report::csv(def, &r, &env.i18n, &name).map_err(CliError),
        "text" => {
            let due = stats::due_date(def, first, &settings).format("%Y-%m-%d").to_string();
            let state = match &submitted {
                Some(s) => env.say("stats.submitted_by", &[("name", s.by.clone()), ("time", s.at.clone())]),
                None => env.say("stats.not_submitted", &[]),
            };
            let mut head =
                env.say(&format!("{}.title", def.text), &[("month", month.clone()), ("due", due), ("state", state)]);
            match (&submitted, &now) {
                (Some(_), Some(now)) => {
                    head.push_str(&format!("\n{}", env.say("stats.frozen", &[])));
                    let note = crate::report::changes(def, &env.i18n, &r, now)
                        .unwrap_or_else(|| env.say("stats.unchanged", &[]));
                    head.push_str(&format!("\n{note}"));
                }
                (Some(_), None) => head.push_str(&format!("\n{}", env.say("stats.not_frozen", &[]))),
                _ => {}
            }
            Ok(crate::report::text(def, &r, &env.i18n, &name, &head, &settings))
        }
        other => Err(CliError(env.say("cli.bad_format", &[("format", echo(other))]))),
    }
}

/// The audit trail's head as reports and backups print it: its entry and short hash.
pub fn audit_head_line(env: &Env, h: &crate::store::Head) -> String {
    // what the file holds is shown cleaned: a tampered one may hold anything
    env.say("cli.audit_head", &[("id", h.id.to_string()), ("hash", crate::domain::text::sanitize(h.short(), false))])
}

/// A register row that does not match its audit trail, named by register, number and
/// field, in the operator's language.
fn audit_row_problem(env: &Env, p: &crate::store::RowProblem) -> String {
    let register = env.i18n.t(&format!("register.{}", p.register)).to_string();
    let args = |extra: Option<String>| {
        let mut a = vec![("register", register.clone()), ("number", crate::domain::text::sanitize(&p.number, false))];
        if let Some(f) = extra {
            a.push(("fields", f));
        }
        a
    };
    match &p.kind {
        crate::store::RowProblemKind::Altered(fields) => {
            let names: Vec<String> = fields
                .iter()
                .map(|f| {
                    let key = if *f == "void_reason" {
                        "field.void.reason".to_string()
                    } else {
                        format!("field.{}.{f}", p.register)
                    };
                    let label = env.i18n.t(&key);
                    if label == key { f.to_string() } else { format!("{label} ({f})") }
                })
                .collect();
            env.say("cli.check_row_altered", &args(Some(names.join(", "))))
        }
        crate::store::RowProblemKind::NoEntry => env.say("cli.check_row_no_entry", &args(None)),
        crate::store::RowProblemKind::Missing => env.say("cli.check_row_missing", &args(None)),
    }
}

/// Records in every register.
fn count_all(store: &Store) -> crate::store::Result<i64> {
    REGISTERS.iter().map(|d| store.count(d)).sum()
}

/// Role names as the Admin screen writes them.
fn role_names(env: &Env, roles: &[Role]) -> String {
    roles.iter().map(|r| env.i18n.t(r.label_key())).collect::<Vec<_>>().join(ROLE_SEPARATOR)
}

/// Every problem at once, one a line, each with its field's name.
fn problems(env: &Env, found: Vec<(&'static str, Msg)>) -> Result<(), CliError> {
    if found.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = found
        .iter()
        .map(|(field, m)| {
            env.say(
                "cli.problem",
                &[("field", env.i18n.t(&format!("field.operator.{field}")).to_string()), ("reason", env.i18n.msg(m))],
            )
        })
        .collect();
    Err(CliError(lines.join("\n")))
}

fn operator(env: &Env, store: &Store, code: &str) -> Result<Operator, CliError> {
    store
        .operator_by_code(code)
        .map_err(|e| store_err(env, e))?
        .ok_or_else(|| CliError(env.say("cli.no_user", &[("code", echo(code))])))
}

/// A department by name for an operator: it exists and is not retired.
fn offered_department(env: &Env, store: &Store, name: &str) -> Result<crate::store::Department, CliError> {
    match store.department_by_name(name).map_err(|e| store_err(env, e))? {
        None => Err(CliError(env.say("cli.no_department", &[("name", echo(name.trim()))]))),
        Some(d) if d.retired => Err(CliError(env.i18n.t("err.department.retired").to_string())),
        Some(d) => Ok(d),
    }
}

/// Pads `s` with spaces to `width` terminal columns (CJK characters take two).
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

/// Rows as columns lined up by display width, two spaces apart.
fn columns_text(rows: &[Vec<String>]) -> Vec<String> {
    let n = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..n).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.width()).max().unwrap_or(0)).collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().enumerate().map(|(i, c)| pad(c, widths[i])).collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect()
}

fn user(cmd: UserCmd, cli: &Cli, store: &mut Store, env: &Env, out: &mut Out) -> Result<i32, CliError> {
    // Rule A14: before the first operator exists there is nobody to vouch for anyone;
    // the first one is made by `init` (or the first-run screen) as an administrator.
    if store.operator_count().map_err(|e| store_err(env, e))? == 0 {
        return Err(CliError(env.say("cli.no_operator_yet", &[])));
    }
    let admin = authenticate(env, store, cli.as_code.as_deref(), Some(Permission::ManageOperators))?;
    match cmd {
        UserCmd::Add { code, name, roles, department } => {
            let mut found = Vec::new();
            let roles = match parse_roles(&roles) {
                Ok(r) if r.is_empty() => {
                    found.push(("roles", Msg::new("err.operator.no_role")));
                    r
                }
                Ok(r) => r,
                Err(bad) => {
                    found.push(("roles", Msg::new("err.operator.role").with("role", echo(&bad))));
                    Vec::new()
                }
            };
            if store.operator_by_code(&code).map_err(|e| store_err(env, e))?.is_some() {
                found.push(("code", Msg::new("err.operator.exists").with("code", echo(code.trim()))));
            }
            let department = match department.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(d) => Some(offered_department(env, store, d)?.id),
            };
            let input = OperatorInput {
                code: Some(&code),
                name: &name,
                password: "",
                password2: None,
                password_required: false,
            };
            found.extend(operator_problems(&input, store.min_password()));
            problems(env, found)?;
            let pw = read_secret(env, &env.say("cli.new_password", &[("code", code.clone())]))?;
            if let Err(m) = check_password(&pw, store.min_password()) {
                problems(env, vec![("password", m)])?;
            }
            store
                .create_operator_in(
                    Some(admin.id),
                    env.now,
                    &NewOperator { code: &code, name: &name, roles: &roles, password: &pw },
                    department,
                )
                .map_err(|e| store_err(env, e))?;
            out.line(env, &env.say("cli.user_added", &[("code", code)]))?;
        }
        UserCmd::List => {
            let departments = store.departments().map_err(|e| store_err(env, e))?;
            let mut rows = vec![
                ["admin.code", "admin.name", "admin.roles", "admin.department", "admin.status"]
                    .iter()
                    .map(|k| env.i18n.t(k).to_string())
                    .collect::<Vec<_>>(),
            ];
            for o in store.operators().map_err(|e| store_err(env, e))? {
                let dept = o
                    .department_id
                    .and_then(|id| departments.iter().find(|d| d.0 == id))
                    .map(|d| d.1.clone())
                    .unwrap_or_default();
                let status = if o.disabled { env.i18n.t("admin.disabled") } else { env.i18n.t("admin.active") };
                rows.push(vec![o.code.clone(), o.name.clone(), role_names(env, &o.roles), dept, status.to_string()]);
            }
            for l in columns_text(&rows) {
                out.line(env, &l)?;
            }
        }
        UserCmd::Passwd { code } => {
            let op = operator(env, store, &code)?;
            let pw = read_secret(env, &env.say("cli.new_password", &[("code", code.clone())]))?;
            if let Err(m) = check_password(&pw, store.min_password()) {
                problems(env, vec![("password", m)])?;
            }
            store.set_password(admin.id, env.now, op.id, &pw).map_err(|e| store_err(env, e))?;
            out.line(env, &env.say("cli.passwd_done", &[("code", code)]))?;
        }
        UserCmd::Disable { code } => {
            let mut op = operator(env, store, &code)?;
            op.disabled = true;
            store.update_operator(admin.id, env.now, &op).map_err(|e| store_err(env, e))?;
            out.line(env, &env.say("cli.disabled", &[("code", code)]))?;
        }
        UserCmd::Enable { code } => {
            let mut op = operator(env, store, &code)?;
            op.disabled = false;
            store.update_operator(admin.id, env.now, &op).map_err(|e| store_err(env, e))?;
            out.line(env, &env.say("cli.enabled", &[("code", code)]))?;
        }
        UserCmd::Dept { code, department } => {
            let mut op = operator(env, store, &code)?;
            let name = department.trim();
            op.department_id = if name.is_empty() { None } else { Some(offered_department(env, store, name)?.id) };
            store.update_operator(admin.id, env.now, &op).map_err(|e| store_err(env, e))?;
            let said = if name.is_empty() {
                env.say("cli.dept_cleared", &[("code", code)])
            } else {
                env.say("cli.dept_set", &[("code", code), ("department", name.to_string())])
            };
            out.line(env, &said)?;
        }
    }
    Ok(0)
}

fn dept(cmd: DeptCmd, cli: &Cli, store: &mut Store, env: &Env, out: &mut Out) -> Result<i32, CliError> {
    let admin = authenticate(env, store, cli.as_code.as_deref(), Some(Permission::ManageOperators))?;
    let find = |store: &Store, name: &str| -> Result<crate::store::Department, CliError> {
        store
            .department_by_name(name)
            .map_err(|e| store_err(env, e))?
            .ok_or_else(|| CliError(env.say("cli.no_department", &[("name", echo(name.trim()))])))
    };
    match cmd {
        DeptCmd::Add { name } => {
            store.add_department(admin.id, env.now, &name).map_err(|e| store_err(env, e))?;
            out.line(env, &env.say("cli.dept_added", &[("name", name.trim().to_string())]))?;
        }
        DeptCmd::Rename { old, new } => {
            let d = find(store, &old)?;
            store.rename_department(admin.id, env.now, d.id, &new).map_err(|e| store_err(env, e))?;
            out.line(env, &env.say("cli.dept_renamed", &[("old", d.name), ("new", new.trim().to_string())]))?;
        }
        DeptCmd::Retire { name } => {
            let d = find(store, &name)?;
            store.set_department_retired(admin.id, env.now, d.id, true).map_err(|e| store_err(env, e))?;
            out.line(env, &env.say("cli.dept_retired", &[("name", d.name)]))?;
        }
        DeptCmd::Restore { name } => {
            let d = find(store, &name)?;
            store.set_department_retired(admin.id, env.now, d.id, false).map_err(|e| store_err(env, e))?;
            out.line(env, &env.say("cli.dept_restored", &[("name", d.name)]))?;
        }
        DeptCmd::List => {
            let mut rows =
                vec![vec![env.i18n.t("admin.department").to_string(), env.i18n.t("admin.status").to_string()]];
            for d in store.department_list().map_err(|e| store_err(env, e))? {
                let status = if d.retired { env.i18n.t("admin.retired") } else { env.i18n.t("admin.active") };
                rows.push(vec![d.name, status.to_string()]);
            }
            for l in columns_text(&rows) {
                out.line(env, &l)?;
            }
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
    /// The numbers of the records a page's rows link to, read once per page.
    numbers: HashMap<(&'static str, i64), String>,
}

impl Names {
    fn load(store: &Store) -> crate::store::Result<Names> {
        Ok(Names { operators: store.operators()?, departments: store.departments()?, numbers: HashMap::new() })
    }

    /// Reads, in one query per linked register, the numbers a page of `def` names.
    fn load_numbers(
        &mut self,
        store: &Store,
        def: &RegisterDef,
        page: &[crate::domain::register::Record],
        ctx: &Context,
    ) -> crate::store::Result<()> {
        self.numbers.clear();
        for (i, d) in def.fields.iter().enumerate() {
            let FieldKind::Lookup(Lookup::Record(target)) = d.kind else { continue };
            let mut ids: Vec<i64> = page.iter().filter_map(|r| r.values[i].as_i64()).collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                continue;
            }
            for r in store.by_ids(target, &ids, crate::domain::register::Cond::All, &[], ctx)? {
                self.numbers.insert((target.name, r.id), r.number);
            }
        }
        Ok(())
    }

    fn cell(&self, kind: FieldKind, v: &Value, offset: i32) -> String {
        match (kind, v) {
            (FieldKind::Lookup(Lookup::Operator), Value::Ref(id)) => {
                self.operators.iter().find(|o| o.id == *id).map(|o| o.code.clone()).unwrap_or_default()
            }
            (FieldKind::Lookup(Lookup::Department), Value::Ref(id)) => {
                self.departments.iter().find(|d| d.0 == *id).map(|d| d.1.clone()).unwrap_or_default()
            }
            (FieldKind::Lookup(Lookup::Record(def)), Value::Ref(id)) => {
                self.numbers.get(&(def.name, *id)).cloned().unwrap_or_default()
            }
            (FieldKind::YesNo, v) => if v.as_bool() { "yes" } else { "no" }.into(),
            (FieldKind::Phones, Value::Text(s)) => s.replace(',', ", "),
            (FieldKind::Phone, Value::Text(s)) => s.clone(),
            (k, v) => format(k, v, offset),
        }
    }
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether an export file gets a byte order mark unless told: a `.csv` file is opened by
/// a spreadsheet, and Excel and WPS on a Chinese Windows read UTF-8 without the mark as
/// GBK and show garbage. Standard output, read by programs, never gets it unless asked.
pub fn wants_bom(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Writes a register as CSV: the columns of `columns`, every cell protected against
/// formula injection (`protect_cell`), oldest record first.
pub fn export(store: &Store, def: &RegisterDef, env: &Env, ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let mut w = csv::Writer::from_writer(out);
    let fail = |e: csv::Error| csv_error(env, env.i18n.t("cli.stdout"), &[], &e);
    w.write_record(columns(def)).map_err(fail)?;
    let mut names = Names::load(store).map_err(|e| store_err(env, e))?;
    let mut dir = crate::store::PageDir::Last;
    let time = |t: i64| to_local(t, env.offset).format("%Y-%m-%d %H:%M").to_string();
    // Oldest first, a page at a time: never the whole register in memory.
    loop {
        let page =
            store.page(def, crate::domain::register::Cond::All, dir, 1000, ctx).map_err(|e| store_err(env, e))?;
        // each page comes newest first
        let page: Vec<_> = page.into_iter().rev().collect();
        let Some(last) = page.last().map(|r| r.id) else { break };
        names.load_numbers(store, def, &page, ctx).map_err(|e| store_err(env, e))?;
        for r in &page {
            let mut row = vec![r.number.clone(), time(r.created_at)];
            for (d, v) in def.fields.iter().zip(&r.values) {
                row.push(names.cell(d.kind, v, env.offset));
            }
            row.push(r.voided.as_ref().map(|v| time(v.at)).unwrap_or_default());
            row.push(r.voided.as_ref().map(|v| v.reason.clone()).unwrap_or_default());
            // F6: no cell starts a formula when a spreadsheet opens the file
            w.write_record(row.iter().map(|c| protect_cell(c).into_owned())).map_err(fail)?;
        }
        dir = crate::store::PageDir::After(last);
    }
    w.flush().map_err(|e| io_error(&env.i18n, env.i18n.t("cli.stdout"), &e))?;
    Ok(())
}

/// A CSV row read into values: its line, its paper date, its values (not yet judged).
pub type CsvRow = (u64, Option<i64>, Vec<Value>);

/// A cell as the file holds it: trimmed, and without the `'` an export puts before a
/// formula-like start (F6).
fn cell(rec: &csv::StringRecord, i: Option<usize>) -> &str {
    unprotect_cell(i.and_then(|i| rec.get(i)).unwrap_or("").trim())
}

/// One problem of an import file: the line it is on and what it is, in the operator's
/// language.
pub type Problem = (u64, String);

/// An import refusal lists at most this many problems and counts the rest.
pub const PROBLEMS_SHOWN: usize = 20;

/// An import refused: its problems in line order, the first `PROBLEMS_SHOWN` said.
pub fn refuse(env: &Env, mut problems: Vec<Problem>) -> CliError {
    problems.sort_by_key(|p| p.0);
    if problems.len() == 1 {
        return CliError(env.say("cli.csv_refused", &[("problem", problems.remove(0).1)]));
    }
    let mut lines = vec![env.say("cli.csv_refused_many", &[("n", problems.len().to_string())])];
    lines.extend(problems.iter().take(PROBLEMS_SHOWN).map(|p| p.1.clone()));
    if problems.len() > PROBLEMS_SHOWN {
        lines.push(env.say("cli.csv_more", &[("n", (problems.len() - PROBLEMS_SHOWN).to_string())]));
    }
    CliError(lines.join("\n"))
}

/// A field's problem on a line, said as a file needs it.
fn row_problem(env: &Env, def: &RegisterDef, line: u64, field: &str, m: Msg) -> Problem {
    let m = import_msg(def.field(field), m);
    let reason = env.i18n.msg(&m);
    (
        line,
        env.say("cli.csv_row_problem", &[("line", line.to_string()), ("field", field.to_string()), ("reason", reason)]),
    )
}

/// The line and the character on it (both from 1) of byte `at` of `data`.
fn place(data: &[u8], at: usize) -> (u64, usize) {
    let before = &data[..at.min(data.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    (line, String::from_utf8_lossy(&before[start..]).chars().count() + 1)
}

/// Where a quoted cell that is never closed opens. The CSV reader would take the rest of
/// the file into that one cell and then find a row too short, far from the quote.
/// Read as the reader does: a quote opens a cell only at its start, `""` inside is a quote.
fn unclosed_quote(data: &[u8]) -> Option<usize> {
    let (mut open, mut at_start) = (None, true);
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        match open {
            Some(_) if b == b'"' && data.get(i + 1) == Some(&b'"') => i += 1,
            Some(_) if b == b'"' => (open, at_start) = (None, false),
            Some(_) => {}
            None if b == b'"' && at_start => open = Some(i),
            None => at_start = matches!(b, b',' | b'\n' | b'\r'),
        }
        i += 1;
    }
    open
}

/// What makes a whole file unreadable, before any row is read: not text, not UTF-8,
/// empty, or a quote never closed.
fn file_problem(env: &Env, data: &[u8]) -> Option<String> {
    if data.starts_with(&[0xFF, 0xFE]) || data.starts_with(&[0xFE, 0xFF]) {
        return Some(env.say("cli.csv_utf16", &[]));
    }
    // .xlsx is a zip; .xls an OLE compound file
    if data.starts_with(b"PK\x03\x04") || data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(env.say("cli.csv_workbook", &[]));
    }
    if data.iter().all(|b| b.is_ascii_whitespace()) {
        return Some(env.say("cli.csv_empty", &[]));
    }
    // UTF-16 saved without its mark: every other byte of the header is 0
    let first = data.split(|b| *b == b'\n').next().unwrap_or_default();
    if first.len() >= 4 && first.iter().filter(|b| **b == 0).count() * 4 >= first.len() {
        return Some(env.say("cli.csv_utf16", &[]));
    }
    if let Err(e) = std::str::from_utf8(data) {
        let (line, column) = place(data, e.valid_up_to());
        return Some(env.say("cli.csv_utf8", &[("line", line.to_string()), ("column", column.to_string())]));
    }
    let (line, column) = place(data, unclosed_quote(data)?);
    Some(env.say("cli.csv_quote", &[("line", line.to_string()), ("column", column.to_string())]))
}

/// What is wrong with a header: every column without a name, with control characters,
/// given twice, or not one of the register's.
fn header_problems(env: &Env, def: &RegisterDef, raw: &[String], header: &[String]) -> Vec<Problem> {
    let known = columns(def);
    let mut found = Vec::new();
    // the register's columns are listed once, with the first unknown one
    let mut listed = false;
    for (i, (raw, h)) in raw.iter().zip(header).enumerate() {
        let n = (i + 1).to_string();
        let said = if crate::domain::text::sanitize(raw, false) != *raw {
            env.say("cli.csv_header_control", &[("n", n), ("column", echo(h))])
        } else if h.is_empty() {
            env.say("cli.csv_header_empty", &[("n", n)])
        } else if let Some(first) = header[..i].iter().position(|x| x == h) {
            env.say("cli.csv_header_duplicate", &[("n", n), ("column", echo(h)), ("first", (first + 1).to_string())])
        } else if known.contains(&h.as_str()) {
            continue;
        } else if h.contains(';') && h.split(';').any(|p| known.contains(&p.trim())) {
            env.say("cli.csv_semicolon", &[])
        } else if listed {
            env.say("cli.csv_unknown_column_again", &[("n", n), ("column", echo(h))])
        } else {
            listed = true;
            env.say("cli.csv_unknown_column", &[("n", n), ("column", echo(h)), ("known", known.join(","))])
        };
        found.push((1, said));
    }
    found
}

/// Reads every row into values, or refuses the file with every problem found; one bad
/// line imports nothing. The rules are the write path's (`plan_import`).
pub fn parse_csv(store: &Store, def: &RegisterDef, env: &Env, data: &[u8]) -> Result<Vec<CsvRow>, CliError> {
    let (rows, problems) = read_csv(store, def, env, data)?;
    if problems.is_empty() { Ok(rows) } else { Err(refuse(env, problems)) }
}

/// Reads an import file: the rows that read into values, and the problems of the others
/// (every field of every line). A problem of the whole file (empty, not UTF-8 text, an
/// unclosed quote, a bad header, no rows) refuses it at once.
pub fn read_csv(
    store: &Store,
    def: &RegisterDef,
    env: &Env,
    data: &[u8],
) -> Result<(Vec<CsvRow>, Vec<Problem>), CliError> {
    let one = |problem: String| CliError(env.say("cli.csv_refused", &[("problem", problem)]));
    // "CSV UTF-8" from a spreadsheet starts with a byte order mark, as `export --bom` does
    let data = data.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(data);
    if let Some(p) = file_problem(env, data) {
        return Err(one(p));
    }
    // Rows of the wrong length are found and named here, each one, not by the reader.
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let raw: Vec<String> =
        r.headers().map_err(|e| one(csv_error(env, "", data, &e).0))?.iter().map(str::to_string).collect();
    let header: Vec<String> = raw.iter().map(|h| h.trim().to_string()).collect();
    let header_bad = header_problems(env, def, &raw, &header);
    if !header_bad.is_empty() {
        return Err(refuse(env, header_bad));
    }
    let mut recs = Vec::new();
    for rec in r.records() {
        recs.push(rec.map_err(|e| one(csv_error(env, "", data, &e).0))?);
    }
    if recs.is_empty() {
        return Err(one(env.say("cli.csv_no_rows", &[])));
    }
    let departments = store.departments().unwrap_or_default();
    // Read once per distinct code or number: nothing is written while a file is read.
    let mut operators: HashMap<String, Option<i64>> = HashMap::new();
    let col = |k: &str| header.iter().position(|h| h == k);
    let (created_col, voided_cols) =
        (col("created_at"), [("voided_at", col("voided_at")), ("void_reason", col("void_reason"))]);
    let field_cols: Vec<Option<usize>> = def.fields.iter().map(|d| col(d.key)).collect();
    // The records the rows name by number, asked together per register.
    let mut records: HashMap<&str, HashMap<&str, i64>> = HashMap::new();
    for (d, &i) in def.fields.iter().zip(&field_cols) {
        if let (FieldKind::Lookup(l), Some(_)) = (d.kind, i)
            && let Some(target) = l.register()
        {
            let numbers: Vec<&str> = recs.iter().map(|rec| cell(rec, i)).filter(|s| !s.is_empty()).collect();
            let found = store.ids_by_numbers(target, &numbers).unwrap_or_default();
            records.entry(target.name).or_default().extend(found);
        }
    }
    let mut lines = Lines::new(data);
    let ctx = env.ctx();
    let mut out = Vec::with_capacity(recs.len());
    let mut problems = Vec::new();
    for rec in &recs {
        let line = rec.position().map(|p| lines.at(p.byte())).unwrap_or(0);
        if rec.len() != header.len() {
            let (found, expected) = (rec.len().to_string(), header.len().to_string());
            problems.push((
                line,
                env.say("cli.csv_fields", &[("line", line.to_string()), ("found", found), ("expected", expected)]),
            ));
            continue;
        }
        let get = |i: Option<usize>| cell(rec, i);
        let mut found: Vec<(&str, Msg)> = Vec::new();
        let created = match get(created_col) {
            "" => None,
            s => match parse(FieldKind::DateTime, s, None, &ctx) {
                Ok(Value::Time(t)) => Some(t),
                Ok(_) => None,
                Err(m) => {
                    found.push(("created_at", m));
                    None
                }
            },
        };
        if let Some(m) = created.and_then(|t| crate::domain::register::in_future(t, env.now)) {
            found.push(("created_at", m));
        }
        // A voided record is struck through in its register, never brought back to life.
        if let Some((k, _)) = voided_cols.iter().find(|(_, i)| !get(*i).is_empty()) {
            found.push((k, Msg::new("err.import.voided")));
        }
        let mut values = Vec::with_capacity(def.fields.len());
        for (d, &i) in def.fields.iter().zip(&field_cols) {
            let raw = get(i);
            let pick = match d.kind {
                FieldKind::Lookup(Lookup::Operator) if !raw.is_empty() => {
                    let id = *operators
                        .entry(raw.to_string())
                        .or_insert_with(|| store.operator_by_code(raw).ok().flatten().map(|o| o.id));
                    id.map(Some).ok_or_else(|| Msg::new("err.import.no_operator").with("code", echo(raw)))
                }
                FieldKind::Lookup(Lookup::Department) if !raw.is_empty() => departments
                    .iter()
                    .find(|(_, n)| n == raw)
                    .map(|(id, _)| Some(*id))
                    .ok_or_else(|| Msg::new("err.import.no_department").with("name", echo(raw))),
                FieldKind::Lookup(Lookup::Record(target)) if !raw.is_empty() => {
                    let id = records.get(target.name).and_then(|m| m.get(raw)).copied();
                    id.map(Some).ok_or_else(|| {
                        let register = format!("register.{}", target.name);
                        Msg::new("err.import.no_record").with("number", echo(raw)).with("register", register)
                    })
                }
                _ => Ok(None),
            };
            let parsed = pick.and_then(|pick| {
                let raw = if matches!(d.kind, FieldKind::Lookup(_)) && pick.is_none() { "" } else { raw };
                parse(d.kind, raw, pick, &ctx)
            });
            match parsed {
                Ok(v) => values.push(v),
                Err(m) => {
                    found.push((d.key, m));
                    values.push(Value::Null);
                }
            }
        }
        if found.is_empty() {
            out.push((line, created, values));
        } else {
            problems.extend(found.into_iter().map(|(field, m)| row_problem(env, def, line, field, m)));
        }
    }
    Ok((out, problems))
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
    let (plans, problems) = plan_rows(store, def, op, env, rows)?;
    if problems.is_empty() { Ok(plans) } else { Err(refuse(env, problems)) }
}

/// `plan_import`'s plans, and the problems of the rows that cannot be planned.
pub fn plan_rows(
    store: &Store,
    def: &'static RegisterDef,
    op: &Operator,
    env: &Env,
    rows: Vec<CsvRow>,
) -> Result<(Vec<Plan>, Vec<Problem>), CliError> {
    let settings = store.settings().map_err(|e| store_err(env, e))?;
    let people: Vec<Person> = store
        .operators()
        .map_err(|e| store_err(env, e))?
        .into_iter()
        .map(|o| Person { id: o.id, name: o.name, roles: o.roles, department: o.department_id })
        .collect();
    let who = Actor { id: op.id, name: &op.name, roles: &op.roles, department: op.department_id };
    let ctx = env.ctx();
    let mut plans = Vec::with_capacity(rows.len());
    let mut errors: Vec<Problem> = Vec::new();
    // What the rows read, read once each: nothing is written while an import is planned.
    let mut linked_by_id: HashMap<i64, Option<crate::domain::register::Record>> = HashMap::new();
    let mut earlier_by_id: HashMap<i64, Option<crate::domain::register::Record>> = HashMap::new();
    // The card holding each phone an entry gives without naming its card, asked together.
    let owners: HashMap<String, i64> = match def.link {
        Some(link) => {
            let phones: Vec<&str> = rows
                .iter()
                .filter(|(_, _, v)| def.value(v, link.field).is_null())
                .filter_map(|(_, _, v)| def.value(v, link.phone).as_text())
                .collect();
            let found = store.phone_owners(link.target, &phones).unwrap_or_default();
            found.into_iter().map(|(p, id)| (p.to_string(), id)).collect()
        }
        None => HashMap::new(),
    };
    for (line, created, mut values) in rows {
        // the record this one comes from, named by its number (a callback's case)
        if let Some(src) = def.source
            && let Some(number) = def.value(&values, src.number).as_text().map(str::to_string)
        {
            let prefix = number.split('-').next().unwrap_or("");
            let named = def.value(&values, src.register).as_text().map(str::to_string);
            let target = match &named {
                Some(n) => register(n),
                None => REGISTERS.iter().copied().find(|r| r.prefix == prefix),
            };
            let id = target.and_then(|t| store.id_by_number(t, &number).ok().flatten());
            let given = def.value(&values, src.id).as_i64();
            match (target, id) {
                (Some(t), Some(id)) if given.is_none_or(|g| g == id) && t.prefix == prefix => {
                    def.set(&mut values, src.register, Value::Text(t.name.to_string()));
                    def.set(&mut values, src.id, Value::Int(id));
                    // rule C12: whom the case bars, its callback bars, whatever the file says
                    if let Ok(source) = store.get(t, id) {
                        crate::domain::access::bars_from(def, &mut values, t, &source.values);
                    }
                }
                _ => {
                    let register = target.map(|t| format!("register.{}", t.name)).unwrap_or_default();
                    let m = Msg::new("err.import.no_record").with("number", echo(&number)).with("register", register);
                    errors.push(row_problem(env, def, line, src.number, m));
                    continue;
                }
            }
        }
        let linked = def.inherit.and_then(|inh| {
            def.value(&values, inh.field)
                .as_i64()
                .and_then(|id| linked_by_id.entry(id).or_insert_with(|| store.get(inh.target, id).ok()).as_ref())
        });
        let owner = def.link.and_then(|link| match def.value(&values, link.phone) {
            Value::Text(p) if def.value(&values, link.field).is_null() => owners.get(p).copied(),
            _ => None,
        });
        let repeats = def.dedupe.and_then(|dd| {
            def.value(&values, dd.link)
                .as_i64()
                .and_then(|id| earlier_by_id.entry(id).or_insert_with(|| store.get(def, id).ok()).as_ref())
        });
        let facts = Facts { linked, phone_owner: owner, people: &people, repeats };
        match plan(def, Change::Import { created, values }, who, &settings, &ctx, facts) {
            Ok(p) => plans.push(p),
            Err(problems) => {
                for (field, m) in problems {
                    let field = if field.is_empty() { "-" } else { field };
                    errors.push(row_problem(env, def, line, field, m));
                }
            }
        }
    }
    Ok((plans, errors))
}

/// A form's message said as a file needs it: the codes a choice takes, and dates as
/// paper records give them (not "tomorrow" or "+3d").
fn import_msg(field: Option<&FieldDef>, m: Msg) -> Msg {
    match (m.key, field.map(|f| f.kind)) {
        ("err.choice.invalid", Some(FieldKind::Choice { codes, .. } | FieldKind::Flags { codes, .. })) => {
            Msg::new("err.import.choice").with("codes", codes.join(", "))
        }
        ("err.date.invalid", _) => Msg::new("err.import.date"),
        _ => m,
    }
}

/// The language for this run.
pub fn lang(cli: &Cli, setting: &str) -> Lang {
    Lang::choose(cli.lang.as_deref(), setting)
}

#[cfg(test)]
mod tests {
    use super::{Lines, line_at};

    #[test]
    fn lines_are_counted_from_the_bytes_with_lf_and_crlf() {
        let lf = b"a,b\n1,2\n3,4\n";
        let crlf = b"a,b\r\n1,2\r\n3,4\r\n";
        assert_eq!(line_at(lf, 0), 1);
        assert_eq!(line_at(lf, 8), 3);
        // after a CRLF the reader places the next record at the \n
        assert_eq!(line_at(crlf, 9), 3);
        assert_eq!(line_at(crlf, 10), 3);
        assert_eq!(line_at(crlf, 1000), 4);
    }

    #[test]
    fn lines_read_in_order_are_the_lines_counted_from_the_start() {
        let data = b"a,b\r\n1,\"x\ny\"\n\n3,4\r\n5,6\n7,8";
        let mut lines = Lines::new(data);
        for offset in 0..=data.len() as u64 + 3 {
            assert_eq!(lines.at(offset), line_at(data, offset), "offset {offset}");
        }
        // an offset before the last one asked is counted afresh
        assert_eq!(lines.at(4), line_at(data, 4));
    }
}
