//! frontdesk: keyboard-driven registers for a front desk.
//!
//! Layers: `domain` (rules, no I/O) <- `store` (SQLite, no terminal) <- `model`
//! (state and actions, no drawing) <- `ui` (drawing only) <- `app` (terminal loop).
//! Beside the model, on the store: `cli` (the commands) and `demo` (demo data, through the
//! same write path).

pub mod app;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod keymap;
pub mod model;
pub mod report;
pub mod store;
pub mod text;
pub mod ui;

#[cfg(test)]
mod layers {
    use std::path::{Path, PathBuf};

    /// The top-level modules a source text names through `crate::` (also inside
    /// `use crate::{a, b::c}`).
    fn named(src: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, _) in src.match_indices("crate::") {
            let rest = &src[i + "crate::".len()..];
            let items = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or("").split(',').map(str::trim).collect(),
                None => vec![rest],
            };
            for item in items {
                let name: String = item.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
        out
    }

    /// Every `.rs` file of a source file or folder.
    fn sources(path: &str) -> Vec<PathBuf> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        if path.is_file() {
            return vec![path];
        }
        let mut out: Vec<PathBuf> = std::fs::read_dir(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .collect();
        out.sort();
        out
    }

    /// (layer, the layers it must never name).
    const NEVER: &[(&str, &[&str])] = &[
        ("src/domain", &["i18n", "keymap", "text", "store", "report", "demo", "model", "ui", "app", "cli"]),
        ("src/store", &["report", "demo", "model", "ui", "app", "cli"]),
        ("src/report.rs", &["store", "demo", "model", "ui", "app", "cli"]),
        ("src/demo.rs", &["report", "model", "ui", "app", "cli"]),
        ("src/model", &["ui", "app", "cli"]),
        ("src/cli.rs", &["ui", "app"]),
    ];

    #[test]
    fn no_layer_names_a_layer_above_it() {
        let mut read = 0;
        for (layer, never) in NEVER {
            for file in sources(layer) {
                let src = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                read += 1;
                for name in named(&src) {
                    assert!(!never.contains(&name.as_str()), "{} names crate::{name}", file.display());
                }
            }
        }
        // the folders were found and read, so an empty pass cannot hide a wrong arrow
        assert!(read > 20, "only {read} files read");
    }

    #[test]
    fn the_check_sees_every_way_of_naming_a_module() {
        assert_eq!(named("use crate::ui::text::{pad, width};"), ["ui"]);
        assert_eq!(named("crate::ui::MIN_W || x"), ["ui"]);
        assert_eq!(named("use crate::{domain::Value, ui};"), ["domain", "ui"]);
        assert!(named("use super::text;").is_empty());
    }
}
