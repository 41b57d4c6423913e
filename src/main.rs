//! frontdesk: the application and its commands.

use std::io::Write;
use std::process::ExitCode;

use frontdesk::cli::{Cli, Env, creates_database, parse_args, run_command};
use frontdesk::domain::text::sanitize;
use frontdesk::i18n::{I18n, Lang};
use frontdesk::keymap::Keymap;
use frontdesk::model::Model;
use frontdesk::store::{self, Store};
use frontdesk::{app, demo};

fn local_offset() -> i32 {
    chrono::Local::now().offset().local_minus_utc()
}

/// The keymap file in the user's config directory, if there is one.
fn user_keymap() -> Option<String> {
    let dirs = directories::ProjectDirs::from("", "", "frontdesk")?;
    std::fs::read_to_string(dirs.config_dir().join("keymap.toml")).ok()
}

fn main() -> ExitCode {
    let cli = parse_args();
    let early = I18n::new(Lang::choose(cli.lang.as_deref(), "en"));
    let path = match cli.db.clone().or_else(|| store::default_path(cli.demo)) {
        Some(p) => p,
        None => {
            eprintln!("{}", early.t("err.no_data_dir"));
            return ExitCode::from(2);
        }
    };
    // A command other than `init` or `demo` does not leave an empty database behind, nor
    // turn an empty file into one (a database truncated to nothing is no database).
    let holds_nothing = std::fs::metadata(&path).map(|m| m.is_file() && m.len() == 0).unwrap_or(true);
    if let Some(cmd) = &cli.cmd
        && !creates_database(cmd)
        && holds_nothing
        && !path.to_string_lossy().starts_with("file:")
    {
        let shown = sanitize(&path.display().to_string(), false);
        eprintln!("{}", early.tf("cli.no_database", &[("path", shown)]));
        return ExitCode::from(2);
    }
    // Only `init`, `demo` and the application itself make a new database file.
    let opened = match &cli.cmd {
        Some(cmd) if !creates_database(cmd) => Store::open_existing(&path),
        _ => Store::open(&path),
    };
    let mut store = match opened {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}: {}", sanitize(&path.display().to_string(), false), early.msg(&e.msg_no_form()));
            return ExitCode::from(2);
        }
    };
    let setting =
        store.settings().map(|s| s.get(frontdesk::domain::settings::LANGUAGE).to_string()).unwrap_or_default();
    let lang = frontdesk::cli::lang(&cli, &setting);
    let env = Env { i18n: I18n::new(lang), offset: local_offset(), now: app::now() };

    if let Some(cmd) = cli.cmd {
        // F15: a command waits its turn while another terminal writes (a bulk import can
        // take seconds), saying so once, rather than fail "busy"
        let waiting = env.i18n.t("cli.waiting").to_string();
        let _ = store.set_busy_timeout(std::time::Duration::from_secs(1));
        store.wait_for_writers(std::time::Duration::from_secs(cli.wait), Box::new(move || eprintln!("{waiting}")));
        let cli_ref = Cli { cmd: None, ..cli };
        return match run_command(cmd, &cli_ref, &mut store, &env) {
            Ok(code) => ExitCode::from(code as u8),
            Err(e) => {
                // a closed stderr (`2>&1 | head`) loses the message, not the exit code
                let _ = writeln!(std::io::stderr(), "{e}");
                ExitCode::from(1)
            }
        };
    }

    if cli.demo && store.operator_count().unwrap_or(0) == 0 {
        eprintln!("{}", env.i18n.t("cli.demo_filling"));
        // the demo office speaks the language of the terminal that made it, as a real one
        // does its first operator's
        let lang = frontdesk::domain::settings::LANGUAGE;
        if let Err(e) = demo::seed(&mut store, env.now, env.offset)
            .and_then(|_| store.set_setting(1, env.now, lang, env.i18n.lang.code()).map(|_| ()))
        {
            eprintln!("{}", env.i18n.msg(&e.msg_no_form()));
            return ExitCode::from(2);
        }
    }

    let (keymap, problems) = Keymap::load(user_keymap().as_deref());
    let mut model = Model::new(store, env.i18n.clone(), keymap, env.now, env.offset);
    // a database filled with `frontdesk demo` shows its demo operators too
    model.demo = cli.demo || model.store.meta("demo").ok().flatten().is_some();
    model.ascii = cli.ascii || std::env::var("FRONTDESK_ASCII").is_ok_and(|v| !v.is_empty() && v != "0");
    model.color = std::env::var("NO_COLOR").map(|v| v.is_empty()).unwrap_or(true);
    model.keymap_problems(&problems);
    match app::run(&mut model) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
