//! CSV files as offices have them, through the built binary: the corpus of bad files under
//! tests/data/csv/bad (each refused with its reason, nothing imported, nothing echoed raw),
//! the good ones under tests/data/csv/good (each imported), formula cells protected on
//! export and given back on import (F6), no escape sequence from input on the terminal
//! (F7), every bad line named (F8), and an empty file refused (F9).

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use frontdesk::domain::{REGISTERS, Role, visitor};
use frontdesk::i18n::{I18n, Lang};
use frontdesk::store::Store;
use support::*;

fn corpus(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/csv").join(kind)
}

/// The rows of a corpus manifest: tab-separated, `#` starts a comment line.
fn manifest(kind: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(corpus(kind).join("MANIFEST.tsv")).expect("manifest");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// An office: `admin` (administrator, manager; password admin123) and `gm`, the general
/// manager, who may export every register (password pass123).
fn office() -> (tempfile::TempDir, PathBuf) {
    let (d, path) = temp_db();
    store_with(Some(&path), &[("gm", "周总", &[Role::GeneralManager])]);
    (d, path)
}

fn import(path: &Path, register: &str, file: &Path, lang: &str) -> Output {
    let file = file.to_str().unwrap();
    run_cli_as(path, &["--lang", lang, "import", register, file, "--as", "admin"], Some("admin123"))
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn bytes(o: &Output) -> Vec<u8> {
    [o.stdout.as_slice(), o.stderr.as_slice()].concat()
}

/// ESC, BEL, and the 8-bit CSI and OSC: any of them on the terminal can recolour it,
/// retitle it or move its cursor.
fn has_escape(b: &[u8]) -> bool {
    b.contains(&0x1b) || b.contains(&0x07) || String::from_utf8_lossy(b).contains(['\u{9b}', '\u{9d}'])
}

fn records(path: &Path) -> i64 {
    let s = Store::open(path).unwrap();
    REGISTERS.iter().map(|d| s.count(d).unwrap()).sum()
}

/// The fixed words of a message, between its `{placeholders}`: what shows the message is
/// the one meant, whatever it quotes.
fn fixed_words(template: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = template;
    loop {
        let (word, after) = match rest.find('{') {
            Some(at) => (&rest[..at], rest[at..].split_once('}').map(|(_, a)| a)),
            None => (rest, None),
        };
        let word = word.trim();
        if word.chars().count() >= 2 {
            words.push(word.to_string());
        }
        match after {
            Some(a) => rest = a,
            None => return words,
        }
    }
}

#[test]
fn f8_f9_the_bad_corpus_has_forty_small_files_one_kind_each_all_listed() {
    let rows = manifest("bad");
    assert!(rows.len() >= 40, "only {} bad files", rows.len());
    let mut listed: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    listed.sort_unstable();
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus("bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    on_disk.sort_unstable();
    assert_eq!(listed, on_disk, "every bad file is in the manifest, and only those");
    let en = I18n::new(Lang::En);
    for r in &rows {
        assert_eq!(r.len(), 5, "{r:?}");
        assert!(std::fs::metadata(corpus("bad").join(&r[0])).unwrap().len() <= 4096, "{} is small", r[0]);
        assert!(en.has(&r[2]), "{}: no message {}", r[0], r[2]);
        assert!(!fixed_words(en.t(&r[2])).is_empty(), "{}: {} has words to find", r[0], r[2]);
    }
}

#[test]
fn f8_f9_every_bad_file_is_refused_with_its_reason_line_and_column_and_imports_nothing() {
    let (d, path) = office();
    let mut failures = Vec::new();
    for r in manifest("bad") {
        let (file, register, key, line, field) = (&r[0], &r[1], &r[2], &r[3], &r[4]);
        for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh-CN")] {
            let i18n = I18n::new(lang);
            let o = import(&path, register, &corpus("bad").join(file), code);
            let said = text(&o);
            let mut wrong = Vec::new();
            if o.status.code() != Some(1) {
                wrong.push(format!("exit {:?}, not 1", o.status.code()));
            }
            if said.contains("panicked") {
                wrong.push("a panic".into());
            }
            if has_escape(&bytes(&o)) {
                wrong.push("an escape sequence on the terminal".into());
            }
            if !said.contains(i18n.t("cli.csv_refused").trim_end_matches("{problem}").trim())
                && !said.contains(i18n.t("cli.csv_refused_many").split('{').next().unwrap().trim())
            {
                wrong.push("does not say nothing was imported".into());
            }
            for w in fixed_words(i18n.t(key)) {
                if !said.contains(&w) {
                    wrong.push(format!("the reason {key} ({w:?}) is not given"));
                }
            }
            if line != "0" {
                let named = if lang == Lang::En { format!("Line {line}") } else { format!("第 {line} 行") };
                if !said.contains(&named) {
                    wrong.push(format!("line {line} is not named"));
                }
            }
            if field != "-" {
                let named = if lang == Lang::En { format!("{field}:") } else { format!("{field}：") };
                if !said.contains(&named) {
                    wrong.push(format!("column {field} is not named"));
                }
            }
            if records(&path) != 0 {
                wrong.push("something was imported".into());
            }
            if !wrong.is_empty() {
                failures.push(format!("{file} ({code}): {}\n    {said}", wrong.join("; ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    drop(d);
}

#[test]
fn every_good_file_of_the_corpus_imports_all_its_rows() {
    let rows = manifest("good");
    assert!(rows.len() >= 10, "only {} good files", rows.len());
    let (_d, path) = office();
    for r in rows {
        let (file, register, n) = (&r[0], &r[1], r[2].parse::<i64>().unwrap());
        let def = frontdesk::domain::register(register).unwrap();
        let before = Store::open(&path).unwrap().count(def).unwrap();
        let o = import(&path, register, &corpus("good").join(file), "en");
        assert!(o.status.success(), "{file}: {}", text(&o));
        assert!(!has_escape(&bytes(&o)), "{file}");
        let after = Store::open(&path).unwrap().count(def).unwrap();
        assert_eq!(after - before, n, "{file}: {}", text(&o));
    }
}

#[test]
fn f6_a_quote_a_spreadsheet_shows_as_text_is_taken_off_on_import() {
    let (_d, path) = office();
    let o = import(&path, "visitor", &corpus("good").join("visitor_formula_cells_protected.csv"), "en");
    assert!(o.status.success(), "{}", text(&o));
    let s = Store::open(&path).unwrap();
    let names: Vec<(String, String)> = (1..=2)
        .map(|id| {
            let r = s.get(&visitor::REGISTER, id).unwrap();
            let v = |k| visitor::REGISTER.value(&r.values, k).as_text().unwrap_or_default().to_string();
            (v("name"), v("purpose"))
        })
        .collect();
    let want = [("=1+1", "'=x"), ("@SUM(A1)", "-2+3")].map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(names, want);
}

/// What a visitor's stored text fields read, by record id.
fn stored(path: &Path, id: i64) -> (String, String, String) {
    let s = Store::open(path).unwrap();
    let r = s.get(&visitor::REGISTER, id).unwrap();
    let v = |k| visitor::REGISTER.value(&r.values, k).as_text().unwrap_or_default().to_string();
    (v("name"), v("phone"), v("purpose"))
}

#[test]
fn f6_an_exported_formula_cell_is_quoted_in_the_file_and_imports_back_as_typed() {
    let (d, path) = office();
    // as desks typed them: formulas, a phone abroad, and texts their typist protected
    let typed = [
        ("=1+1", "", "=HYPERLINK(\"http://evil.example/\",\"x\")"),
        ("@SUM(A1)", "+442079460958", "-2+3+cmd|' /C calc'!A0"),
        ("'=x", "", "''+y"),
        ("'plain", "", "a=b"),
    ];
    {
        let mut s = Store::open(&path).unwrap();
        for (name, phone, purpose) in typed {
            s.insert(1, &ctx(), &visitor::REGISTER, &support::visitor(name, phone, purpose)).unwrap();
        }
    }
    let file = d.path().join("visitors.csv");
    let o = run_cli(&path, &["export", "visitor", "--out", file.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", text(&o));
    let written = std::fs::read(&file).unwrap();
    let body = String::from_utf8(written.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap().to_vec()).unwrap();
    let mut cells: Vec<String> = Vec::new();
    for rec in csv::Reader::from_reader(body.as_bytes()).records() {
        cells.extend(rec.unwrap().iter().map(str::to_string));
    }
    for want in ["'=1+1", "'@SUM(A1)", "'+442079460958", "'-2+3+cmd|' /C calc'!A0", "''=x", "'''+y", "'plain", "a=b"] {
        assert!(cells.iter().any(|c| c == want), "no cell {want:?} in\n{body}");
    }
    assert!(cells.iter().any(|c| c == "'=HYPERLINK(\"http://evil.example/\",\"x\")"), "{body}");
    for c in &cells {
        assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "{c:?} starts a formula in\n{body}");
    }
    // stored data is never changed by an export
    assert_eq!(stored(&path, 1).0, "=1+1");
    // the file back into another office gives every text exactly as it was typed
    let (_d2, other) = office();
    let o = import(&other, "visitor", &file, "en");
    assert!(o.status.success(), "{}", text(&o));
    for (id, (name, phone, purpose)) in typed.iter().enumerate() {
        assert_eq!(stored(&other, id as i64 + 1), (name.to_string(), phone.to_string(), purpose.to_string()));
    }
}

#[test]
fn f6_a_csv_file_gets_a_byte_order_mark_and_standard_output_does_not_unless_asked() {
    let (d, path) = office();
    let bom = |b: &[u8]| b.starts_with(b"\xEF\xBB\xBF");
    let export = |extra: &[&str]| {
        let mut args = vec!["export", "customer", "--as", "gm"];
        args.extend_from_slice(extra);
        let o = run_cli(&path, &args);
        assert!(o.status.success(), "{extra:?}: {}", text(&o));
        o.stdout
    };
    let file = |name: &str| d.path().join(name).to_str().unwrap().to_string();
    assert!(!bom(&export(&[])), "standard output: no mark");
    assert!(bom(&export(&["--bom"])), "standard output with --bom");
    for (name, extra, want) in [
        ("a.csv", &[][..], true),
        ("b.CSV", &[], true),
        ("c.txt", &[], false),
        ("d.csv", &["--no-bom"], false),
        ("e.txt", &["--bom"], true),
    ] {
        let f = file(name);
        let mut args = vec!["--out", f.as_str()];
        args.extend_from_slice(extra);
        export(&args);
        assert_eq!(bom(&std::fs::read(&f).unwrap()), want, "{name} {extra:?}");
    }
    let o = run_cli(&path, &["export", "customer", "--bom", "--no-bom", "--as", "gm"]);
    assert_eq!(o.status.code(), Some(2), "--bom and --no-bom together: {}", text(&o));
    // and the marked file reads back
    let o = import(&path, "customer", &d.path().join("a.csv"), "en");
    assert!(text(&o).contains("no rows"), "header only, its mark taken off: {}", text(&o));
}

#[test]
fn f7_an_escape_sequence_in_a_header_never_reaches_the_terminal() {
    let (d, path) = office();
    let file = d.path().join("h.csv");
    std::fs::write(
        &file,
        "occurred_at,channel,name\x1b]0;X\x07\x1b[41m,visitor_class,party_size,purpose\n2026-11-20 09:00,walk_in,王芳,C,1,咨询\n",
    )
    .unwrap();
    for lang in ["en", "zh-CN"] {
        let o = import(&path, "visitor", &file, lang);
        assert_eq!(o.status.code(), Some(1));
        assert!(!bytes(&o).contains(&0x1b), "{:?}", text(&o));
        assert!(text(&o).contains("“name”"), "the column is named, cleaned: {}", text(&o));
    }
    // an unknown column's name too, and a cell's value quoted in a reason
    std::fs::write(&file, "occurred_at,channel,name,visitor_class,party_size,purpose,x\x1b[2J\n").unwrap();
    let o = import(&path, "visitor", &file, "en");
    assert!(!bytes(&o).contains(&0x1b), "{:?}", text(&o));
    std::fs::write(
        &file,
        "occurred_at,channel,name,visitor_class,party_size,purpose,staff_id\n2026-11-20 09:00,walk_in,王芳,C,1,咨询,\x1b]0;T\x07bob\n",
    )
    .unwrap();
    let o = import(&path, "visitor", &file, "en");
    assert!(text(&o).contains("the code bob") && !bytes(&o).contains(&0x1b), "{:?}", text(&o));
    assert_eq!(records(&path), 0);
}

#[test]
fn f7_command_line_values_are_quoted_back_without_escapes() {
    let (_d, path) = office();
    let osc = "\x1b]0;PWNED\x07\x1b[41m";
    let register = format!("visit{osc}");
    let month = format!("{osc}2026");
    let roles = format!("recep{osc}");
    let code = format!("x{osc}");
    for args in [
        vec!["export", register.as_str(), "--as", "admin"],
        vec!["report", "complaints", "--month", month.as_str(), "--as", "gm"],
        vec!["report", "complaints", "--month", "2026-10", "--format", month.as_str(), "--as", "gm"],
        vec!["report", register.as_str(), "--as", "gm"],
        vec!["user", "add", "x1", "--name", "X", "--roles", roles.as_str(), "--as", "admin"],
        vec!["user", "disable", code.as_str(), "--as", "admin"],
        vec!["dept", "retire", code.as_str(), "--as", "admin"],
        vec!["search", "x", "--limit", month.as_str()],
        vec!["import", "visitor", register.as_str(), "--as", "admin"],
    ] {
        let password = if args.contains(&"gm") { "pass123" } else { "admin123" };
        let o = run_cli_typed(&path, &args, "pass1234\n", Some(password));
        assert!(!o.status.success(), "{args:?}");
        assert!(!bytes(&o).contains(&0x1b) && !bytes(&o).contains(&0x07), "{args:?}: {:?}", text(&o));
        assert!(!text(&o).is_empty(), "{args:?}: a reason is given");
    }
}

#[test]
fn f8_a_duplicate_header_is_refused_with_its_line_and_columns() {
    let (_d, path) = office();
    let o = import(&path, "visitor", &corpus("bad").join("header_duplicate_name.csv"), "en");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("Line 1, column 4: the column “name” is given twice (first in column 3)"),
        "{}",
        text(&o)
    );
    assert_eq!(records(&path), 0, "the second name is not dropped silently: nothing is imported");
}

#[test]
fn f8_every_bad_line_is_named_up_to_twenty_and_the_rest_are_counted() {
    let (_d, path) = office();
    let o = import(&path, "visitor", &corpus("bad").join("rows_bad_on_25_lines.csv"), "en");
    let said = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(said.contains("the file has 25 problems"), "{said}");
    for line in 2..=21 {
        assert!(said.contains(&format!("Line {line}, party_size:")), "line {line} named: {said}");
    }
    assert!(!said.contains("Line 22,"), "at most 20 said: {said}");
    assert!(said.contains("…and 5 more."), "{said}");
    assert_eq!(records(&path), 0);
}

#[test]
fn f8_lines_that_cannot_be_read_and_lines_that_break_a_rule_are_named_together() {
    let (d, path) = office();
    let file = d.path().join("mixed.csv");
    std::fs::write(
        &file,
        "occurred_at,channel,name,visitor_class,party_size,purpose,intent\n\
         2026-11-20 09:00,walk_in,王芳,C,1,咨询,no\n\
         2026-11-20 09:00,fax,王芳,C,1,咨询,no\n\
         2026-11-20 09:00,walk_in,李娜,C,1,咨询,yes\n\
         2026-11-20 09:00,walk_in,张伟,C,1\n\
         2026-11-20 09:00,walk_in,赵敏,C,x,咨询,no\n",
    )
    .unwrap();
    let o = import(&path, "visitor", &file, "en");
    let said = text(&o);
    assert_eq!(o.status.code(), Some(1));
    for named in [
        "Line 3, channel: Not one of:",
        "Line 4, phone: An intent customer leaves contact details",
        "Line 5: 5 of the header's 7 cells.",
        "Line 6, party_size: Not a whole number.",
    ] {
        assert!(said.contains(named), "{named:?} in {said}");
    }
    assert!(!said.contains("Line 2"), "{said}");
    // in line order
    let at = |s: &str| said.find(s).unwrap();
    assert!(at("Line 3") < at("Line 4") && at("Line 4") < at("Line 5") && at("Line 5") < at("Line 6"), "{said}");
    assert_eq!(records(&path), 0);
}

#[test]
fn f9_an_empty_file_is_refused_with_its_reason_in_the_operators_language() {
    let (d, path) = office();
    let file = d.path().join("e.csv");
    std::fs::write(&file, "").unwrap();
    let o = import(&path, "visitor", &file, "en");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("Nothing imported. The file is empty"), "{}", text(&o));
    let o = import(&path, "visitor", &file, "zh-CN");
    assert!(text(&o).contains("未导入任何记录。文件是空的"), "{}", text(&o));
    let o = import(&path, "visitor", &corpus("bad").join("header_only.csv"), "en");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("header line but no rows"), "{}", text(&o));
    assert_eq!(records(&path), 0);
}
