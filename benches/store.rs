//! Store benchmarks at register scale: search, list paging, a durable save (beside the
//! floor of one bare durable INSERT), the complaint list, its overdue filter, its search
//! and a step save, the rate of `demo --scale`, and the rate of a visitor import through
//! the one write path (CSV read, every row planned, one transaction), and a key typed into
//! a form while another process holds the write lock, to its frame.
//!
//! ```sh
//! CARGO_TARGET_DIR=/tmp/bench-target cargo bench --bench store
//! FRONTDESK_BENCH_ROWS=20000 CARGO_TARGET_DIR=/tmp/bench-target cargo bench --bench store
//! ```
//!
//! The database (`FRONTDESK_BENCH_ROWS` visitors, as many customer cards and as many
//! complaints, default 1,000,000 each) is built once into the temp directory and reused while it still holds
//! at least that many rows; the saves add rows to it, which later runs accept.
//! `FRONTDESK_BENCH_SCALE_ROWS` (default 20,000 per register, 0 skips) sizes the one-off
//! `demo::scale` rate measurement on a fresh file. `FRONTDESK_BENCH_IMPORT_ROWS` (default
//! 20,000, 0 skips) sizes the visitor import, run first on fresh files of its own.
//! Under `cargo test --benches` each benchmark runs once against a small throwaway database.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use frontdesk::cli::{Env, parse_csv, plan_import};
use frontdesk::demo::{self, Rng};
use frontdesk::domain::register::{Cond, Context};
use frontdesk::domain::roles::parse_roles;
use frontdesk::domain::{Value, complaint, customer, visitor};
use frontdesk::i18n::{I18n, Lang};
use frontdesk::model::DEMO_OPERATORS;
use frontdesk::store::auth::NewOperator;
use frontdesk::store::{PageDir, Store};
use rusqlite::{Connection, TransactionBehavior};

/// UTC+8, the desk's zone.
const OFFSET: i32 = 8 * 3600;
const DEFAULT_ROWS: usize = 1_000_000;
const DEFAULT_SCALE_ROWS: usize = 20_000;
const DEFAULT_IMPORT_ROWS: usize = 20_000;
/// Customer cards in the import's database: the cards its rows name or whose phone they give.
const IMPORT_CARDS: usize = 5_000;
/// Records per register when run as a test (`cargo test --benches`).
const TEST_ROWS: usize = 2_000;
const META_BUILD: &str = "bench_build_seconds";

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(s) => s.replace('_', "").trim().parse().unwrap_or_else(|_| panic!("{name}={s}: not a row count")),
        Err(_) => default,
    }
}

/// `cargo bench` passes `--bench`; `cargo test --benches` does not, and neither needs the
/// big database for `--list`.
fn measuring() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test" || a == "--list")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn size_label(rows: usize) -> String {
    if rows >= 1_000_000 && rows % 1_000_000 == 0 { format!("{}m", rows / 1_000_000) } else { rows.to_string() }
}

fn disk_bytes(path: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

fn remove_db(path: &Path) {
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", path.display()));
    }
}

/// An empty store with the demo operators, so that timing `demo::scale` afterwards
/// measures rows, not password hashing.
fn fresh_store(path: &Path, now: i64) -> Store {
    let mut store = Store::open(path).expect("open bench database");
    let (code, pw, name, roles) = DEMO_OPERATORS.iter().find(|o| o.0 == "admin").copied().expect("a demo admin");
    let roles = parse_roles(roles).expect("demo roles");
    store.create_operator(None, now, &NewOperator { code, name, roles: &roles, password: pw }).expect("create admin");
    demo::operators(&mut store, now).expect("demo operators");
    store
}

/// Times `demo::scale` of `n` records per register; returns the seconds taken.
fn timed_scale(store: &mut Store, n: usize, now: i64) -> f64 {
    let t = Instant::now();
    demo::scale(store, n, now, OFFSET).expect("demo::scale");
    t.elapsed().as_secs_f64()
}

fn holds(path: &Path, rows: usize) -> bool {
    if !path.exists() {
        return false;
    }
    let Ok(store) = Store::open(path) else { return false };
    let count = |def| store.count(def).unwrap_or(0) as usize;
    count(&visitor::REGISTER) >= rows && count(&customer::REGISTER) >= rows && count(&complaint::REGISTER) >= rows
}

/// The cached database of `rows` records per register, built if missing or short.
fn bench_db(rows: usize) -> PathBuf {
    let path = std::env::temp_dir().join(format!("frontdesk-bench-{}.sqlite", size_label(rows)));
    if holds(&path, rows) {
        let store = Store::open(&path).expect("open bench database");
        let built = store.meta(META_BUILD).ok().flatten().unwrap_or_else(|| "?".into());
        println!("bench db: reusing {} (built earlier in {built} s)", path.display());
        return path;
    }
    remove_db(&path);
    println!("bench db: building {} with {rows} records per register ...", path.display());
    let now = now();
    let mut store = fresh_store(&path, now);
    let secs = timed_scale(&mut store, rows, now);
    store.set_meta(META_BUILD, &format!("{secs:.1}")).expect("set meta");
    let total = all_rows(&store);
    println!("bench db: built {total} rows in {secs:.1} s ({:.0} rows/s)", total as f64 / secs);
    drop(store); // the last connection's close checkpoints and removes the WAL
    path
}

/// Records in every register.
fn all_rows(store: &Store) -> usize {
    frontdesk::domain::REGISTERS.iter().map(|d| store.count(d).unwrap_or(0) as usize).sum()
}

/// `demo --scale` on a fresh file: rows per second, printed once.
fn scale_rate(n: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scale.sqlite");
    let now = now();
    let mut store = fresh_store(&path, now);
    let secs = timed_scale(&mut store, n, now);
    let total = all_rows(&store);
    drop(store);
    println!(
        "demo::scale, fresh file, {n} per register ({total} rows): {secs:.2} s = {:.0} rows/s; file {:.1} MiB",
        total as f64 / secs,
        disk_bytes(&path) as f64 / 1048576.0
    );
}

fn db_report(store: &Store, path: &Path) {
    let pages = |p: &str| store.conn().query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, i64>(0)).unwrap_or(0);
    let mib = |b: f64| b / 1048576.0;
    println!(
        "bench db: {} = {:.1} MiB on disk (pages {} x {} B, {} free), {} visitors, {} customer cards, {} complaints",
        path.display(),
        mib(disk_bytes(path) as f64),
        pages("page_count"),
        pages("page_size"),
        pages("freelist_count"),
        store.count(&visitor::REGISTER).unwrap_or(0),
        store.count(&customer::REGISTER).unwrap_or(0),
        store.count(&complaint::REGISTER).unwrap_or(0),
    );
}

/// How long opening a database of schema 7 takes: migration 0008 makes the search
/// indexes anew and indexes every record again (a copy of the bench database, printed
/// once; `FRONTDESK_BENCH_REINDEX=1`).
fn reindex_once(path: &Path) {
    let dir = tempfile::tempdir_in(path.parent().expect("a directory")).expect("temp dir");
    let copy = dir.path().join("reindex.sqlite");
    Connection::open(path)
        .and_then(|c| c.execute("VACUUM INTO ?1", [copy.to_string_lossy()]))
        .expect("copy the bench database");
    Connection::open(&copy).and_then(|c| c.execute_batch("PRAGMA user_version = 7")).expect("back to schema 7");
    let t = Instant::now();
    let store = Store::open(&copy).expect("open and migrate");
    let secs = t.elapsed().as_secs_f64();
    let total = all_rows(&store);
    drop(store);
    println!("reindex on open (migration 0008): {total} rows in {secs:.1} s ({:.0} rows/s)", total as f64 / secs);
}

fn bench_search(c: &mut Criterion, store: &Store, ctx: &Context, number: &str) {
    let fast: [(&str, &str); 13] = [
        ("1char_common", "王"),
        ("1char_rare", "续"),
        ("2char_name", "王芳"),
        ("phone4", "5678"),
        ("number", number),
        ("no_match", "不存在"),
        // two common grams never in one entry: both doclists are walked to the end
        ("no_match_grams", "王 ja"),
        // a short term with a long one joins the gram and the trigram index
        ("mixed_name_phone", "王 5678"),
        // the first one or two letters or digits of a word (a phone, a name): word starts
        // are index entries, so most rows match and the newest page comes first
        ("latin1_digit", "1"),
        ("latin2_digits", "13"),
        ("latin1_upper", "S"),
        ("latin1_lower", "a"),
        // full-width punctuation separates words, as the index folded it
        ("fullwidth_punct", "看房，咨询"),
    ];
    for (label, term) in fast {
        let t = Instant::now();
        let hits = store.search(&visitor::REGISTER, term, Cond::All, None, 20, ctx).expect("search").len();
        println!("search {label}: {term:?} -> {hits} on the first page (cold: {:.2?})", t.elapsed());
    }
    let mut g = c.benchmark_group("search");
    g.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for (label, term) in fast {
        g.bench_with_input(BenchmarkId::from_parameter(label), term, |b, term| {
            b.iter(|| store.search(&visitor::REGISTER, black_box(term), Cond::All, None, 20, ctx).expect("search"))
        });
    }
    g.finish();
}

fn bench_page(c: &mut Criterion, store: &Store, ctx: &Context) {
    let (min, max): (i64, i64) = store
        .conn()
        .query_row("SELECT min(id), max(id) FROM visitor", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("id range");
    let near_end = min + 1000.min((max - min) / 2);
    let cases: [(&str, Cond, PageDir); 5] = [
        ("top", Cond::All, PageDir::Before(max + 1)),
        ("middle", Cond::All, PageDir::Before(min + (max - min) / 2)),
        ("near_end", Cond::All, PageDir::Before(near_end)),
        ("last", Cond::All, PageDir::Last),
        ("intent_near_end", Cond::IsTrue("intent"), PageDir::Before(near_end)),
    ];
    for (label, cond, dir) in cases {
        let n = store.page(&visitor::REGISTER, cond, dir, 30, ctx).expect("page").len();
        println!("page {label}: {dir:?} -> {n} rows");
    }
    let mut g = c.benchmark_group("page");
    g.sample_size(50).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for (label, cond, dir) in cases {
        g.bench_function(label, |b| {
            b.iter(|| store.page(&visitor::REGISTER, cond, black_box(dir), 30, ctx).expect("page"))
        });
    }
    g.finish();
}

fn bench_save(c: &mut Criterion, store: &mut Store, path: &Path, now: i64) {
    let (admin, desk) = demo::operators(store, now).expect("operators");
    let values: Vec<Vec<frontdesk::domain::Value>> =
        (1..=1000).filter_map(|id| store.get(&customer::REGISTER, id).ok().map(|r| r.values)).collect();
    let customers = demo::cards(1, &values, 1);
    let ctx = Context { actor: admin, ..Context::new(now, OFFSET) };
    let mut rng = Rng::new(2026);

    // The floor: one row, same file, same durability, nothing else.
    let mut floor = Connection::open(path).expect("open floor connection");
    floor.busy_timeout(Duration::from_secs(5)).expect("busy timeout");
    let mode: String = floor.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).expect("wal");
    assert!(mode.eq_ignore_ascii_case("wal"), "journal mode {mode}");
    floor
        .execute_batch("PRAGMA synchronous = FULL; CREATE TABLE IF NOT EXISTS bench_floor(x INTEGER);")
        .expect("floor table");

    let mut g = c.benchmark_group("save");
    g.sample_size(30).warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(10));
    g.bench_function("durable_insert", |b| {
        b.iter_batched(
            || demo::visitor_values(&mut rng, now, &desk, &customers),
            |values| store.insert(admin, &ctx, &visitor::REGISTER, &values).expect("insert"),
            BatchSize::SmallInput,
        )
    });
    let mut x = 0i64;
    g.bench_function("floor_insert", |b| {
        b.iter(|| {
            x += 1;
            let tx = floor.transaction_with_behavior(TransactionBehavior::Immediate).expect("begin");
            tx.prepare_cached("INSERT INTO bench_floor(x) VALUES (?1)")
                .expect("prepare")
                .execute([black_box(x)])
                .expect("insert");
            tx.commit().expect("commit");
        })
    });
    // A customer card's save also rewrites its phones in the phone index.
    g.bench_function("durable_insert_customer", |b| {
        b.iter_batched(
            || demo::customer_values(&mut rng, &desk),
            |values| store.insert(admin, &ctx, &customer::REGISTER, &values).expect("insert"),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

/// The complaint register at scale: its ranked list, the overdue filter, search, and a
/// step save (the decision of an open case: stamps, re-index and audit in one transaction).
fn bench_complaints(c: &mut Criterion, store: &mut Store, ctx: &Context) {
    let def = &complaint::REGISTER;
    let (min, max): (i64, i64) = store
        .conn()
        .query_row("SELECT min(id), max(id) FROM complaint", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("id range");
    let cases: [(&str, Cond, PageDir); 4] = [
        ("list_first", Cond::All, PageDir::First),
        ("list_middle", Cond::All, PageDir::From(min + (max - min) / 2)),
        ("open_first", Cond::Open, PageDir::First),
        ("overdue_first", Cond::Overdue("step_due_at"), PageDir::First),
    ];
    for (label, cond, dir) in cases {
        let t = Instant::now();
        let n = store.page(def, cond, dir, 30, ctx).expect("page").len();
        println!("complaints {label}: {n} rows (cold: {:.2?})", t.elapsed());
    }
    let mut g = c.benchmark_group("complaints");
    g.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for (label, cond, dir) in cases {
        g.bench_function(label, |b| b.iter(|| store.page(def, cond, black_box(dir), 30, ctx).expect("page")));
    }
    for (label, term) in [("search_2char", "宝马"), ("search_phone4", "5678")] {
        g.bench_function(label, |b| {
            b.iter(|| store.search(def, black_box(term), Cond::All, None, 20, ctx).expect("search"))
        });
    }
    // A step save: an open case at "decide" is decided, a fresh one each iteration while
    // they last (reading the case and building its values are not timed).
    let open: Vec<i64> = store
        .conn()
        .prepare("SELECT id FROM complaint WHERE step = 'decide' ORDER BY id DESC LIMIT 20000")
        .and_then(|mut s| s.query_map([], |r| r.get(0)).and_then(|r| r.collect()))
        .expect("open cases");
    assert!(!open.is_empty(), "the bench database has open complaints");
    let mut at = 0usize;
    g.sample_size(10).measurement_time(Duration::from_secs(3));
    g.bench_function("step_save", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let id = open[at % open.len()];
                at += 1;
                let rec = store.get(def, id).expect("case");
                let mut v = rec.values.clone();
                for (k, x) in [
                    ("decision", Value::Text("stands".into())),
                    ("decision_reason", Value::Text("经核实属实".into())),
                    ("decided_at", Value::Time(ctx.now)),
                    ("decided_by", Value::Ref(1)),
                    ("step", Value::Text("assign".into())),
                ] {
                    if let Some(i) = def.index(k) {
                        v[i] = x;
                    }
                }
                let t = Instant::now();
                store.update_with(1, ctx, def, &rec, &v, &[]).expect("step save");
                total += t.elapsed();
            }
            total
        })
    });
    g.finish();
}

/// The import's starting point: the demo operators and `IMPORT_CARDS` customer cards,
/// written once and copied for every iteration. Returns the cards' numbers and first phones.
fn import_template(path: &Path, now: i64) -> Vec<(String, String)> {
    let mut store = fresh_store(path, now);
    let (admin, desk) = demo::operators(&mut store, now).expect("operators");
    let ctx = Context { actor: admin, ..Context::new(now, OFFSET) };
    let mut rng = Rng::new(7);
    let mut rows = (0..IMPORT_CARDS).map(|_| (now - 400 * 86_400, demo::customer_values(&mut rng, &desk)));
    store.bulk_insert(admin, &ctx, &customer::REGISTER, &mut rows).expect("cards");
    let cards: Vec<(String, String)> = store
        .conn()
        .prepare("SELECT number, phones FROM customer ORDER BY id")
        .and_then(|mut s| {
            s.query_map([], |r| {
                let phones: String = r.get(1)?;
                Ok((r.get(0)?, phones.split(',').next().unwrap_or("").to_string()))
            })
            .and_then(|r| r.collect())
        })
        .expect("card numbers");
    drop(store); // checkpoints: the file alone is the database
    cards
}

/// A visitor CSV of `n` paper rows over the past year, as a spreadsheet would hold them:
/// Chinese names, phones, companies and purposes; a fifth name their card by number, a
/// fifth give a card's phone without its number (the write path links them by phone),
/// the rest are new people, most with a phone.
fn import_csv(n: usize, now: i64, cards: &[(String, String)]) -> Vec<u8> {
    const DESK: &[&str] = &["wangfang", "lina"];
    const STAFF: &[&str] = &["wangfang", "lina", "zhangqiang", "chenzong"];
    const COMPANIES: &[&str] = &["华为技术有限公司", "万科物业", "顺丰速运", "招商银行", "美的集团", "", ""];
    const PURPOSES: &[&str] = frontdesk::demo::PURPOSES;
    let mut rng = Rng::new(2027);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "occurred_at",
        "channel",
        "name",
        "phone",
        "organisation",
        "visitor_class",
        "party_size",
        "purpose",
        "intent",
        "intermediary",
        "intermediary_name",
        "staff_id",
        "customer_id",
        "received_by",
    ])
    .expect("header");
    let start = now - 365 * 86_400;
    for i in 0..n {
        let at = start + (i as i64 * 365 * 86_400) / n as i64;
        let local = chrono::DateTime::from_timestamp(at + OFFSET as i64, 0).expect("time").naive_utc();
        let (name, phone, card) = match rng.below(5) {
            0 => {
                let c = &cards[rng.below(cards.len())];
                (demo::name(&mut rng), c.1.clone(), c.0.clone())
            }
            1 => (demo::name(&mut rng), cards[rng.below(cards.len())].1.clone(), String::new()),
            2 => (demo::name(&mut rng), String::new(), String::new()),
            _ => (demo::name(&mut rng), demo::mobile(&mut rng), String::new()),
        };
        let intent = !phone.is_empty() && rng.chance(25);
        let intermediary = rng.chance(10);
        let party = if rng.chance(80) { 1 + rng.below(3) } else { 2 + rng.below(14) };
        w.write_record([
            local.format("%Y-%m-%d %H:%M").to_string().as_str(),
            rng.pick(visitor::CHANNELS),
            &name,
            &phone,
            rng.pick(COMPANIES),
            rng.pick(visitor::CLASSES),
            &party.to_string(),
            rng.pick(PURPOSES),
            if intent { "yes" } else { "no" },
            if intermediary { "yes" } else { "no" },
            if intermediary { rng.pick(&["链家", "中原地产", "我爱我家"]) } else { "" },
            rng.pick(STAFF),
            &card,
            rng.pick(DESK),
        ])
        .expect("row");
    }
    w.into_inner().expect("csv")
}

/// Time this thread has spent on a core (Linux), to tell a busy machine from a slow import.
fn on_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

/// One import into a fresh copy of the template: the time of each phase (read, plan,
/// write) and the rows written.
fn import_once(template: &Path, dir: &Path, env: &Env, csv: &[u8]) -> ([Duration; 3], usize) {
    let path = dir.join("import.sqlite");
    remove_db(&path);
    std::fs::copy(template, &path).expect("copy template");
    let mut store = Store::open(&path).expect("open import database");
    let op = store.operator_by_code("chenzong").expect("read importer").expect("a manager");
    let t = Instant::now();
    let rows = parse_csv(&store, &visitor::REGISTER, env, csv).expect("parse");
    let read = t.elapsed();
    let plans = plan_import(&store, &visitor::REGISTER, &op, env, rows).expect("plan");
    let planned = t.elapsed();
    let n = store.import(op.id, &Context::new(env.now, env.offset), &visitor::REGISTER, &plans).expect("import");
    let done = t.elapsed();
    drop(store);
    ([read, planned - read, done - planned], n)
}

/// A visitor import of `n` rows through the one write path, on a fresh file each time
/// (copying the file in is not timed): rows per second.
fn bench_import(c: &mut Criterion, n: usize, samples: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = dir.path().join("template.sqlite");
    let now = now();
    let cards = import_template(&template, now);
    let csv = import_csv(n, now, &cards);
    let env = Env { i18n: I18n::new(Lang::En), offset: OFFSET, now };
    let cpu = on_cpu();
    let ([read, plan, write], rows) = import_once(&template, dir.path(), &env, &csv);
    let cpu = on_cpu().zip(cpu).map(|(b, a)| b.saturating_sub(a));
    assert_eq!(rows, n, "every row imported");
    let total = read + plan + write;
    println!(
        "import {n} visitors ({:.1} MiB CSV): read {read:.2?}, plan {plan:.2?}, write {write:.2?} = {total:.2?}, {:.0} rows/s",
        csv.len() as f64 / 1048576.0,
        n as f64 / total.as_secs_f64()
    );
    if let Some(cpu) = cpu {
        // on a shared machine the wall time includes waiting for a core
        println!("import: on a core {cpu:.2?} of it (with copying the file in)");
    }
    let mut g = c.benchmark_group("import");
    g.sample_size(samples).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(BenchmarkId::new("visitors", n), |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| import_once(&template, dir.path(), &env, black_box(&csv)).0.iter().sum::<Duration>())
                .sum()
        })
    });
    g.finish();
}

/// F14: a key typed into a form while another process holds the write lock, to the frame
/// that shows it: the model's key handling, its tick (which keeps the draft every second
/// and so meets the held lock), and a draw at 120x32. Prints the slowest of 300 keys too.
fn bench_locked_keys(c: &mut Criterion) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use frontdesk::model::Model;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("locked.sqlite");
    let now = now();
    drop(fresh_store(&path, now));
    let store = Store::open(&path).expect("open");
    store.set_busy_timeout(frontdesk::model::UI_WAIT).expect("busy timeout");
    let (keymap, _) = frontdesk::keymap::Keymap::load(None);
    let mut m = Model::new(store, I18n::new(Lang::Zh), keymap, now, OFFSET);
    let key = |m: &mut Model, code: KeyCode| m.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    let (code, pw, ..) = DEMO_OPERATORS.iter().find(|o| o.0 == "wangfang").copied().expect("a demo receptionist");
    for text in [code, pw] {
        text.chars().for_each(|ch| key(&mut m, KeyCode::Char(ch)));
        key(&mut m, KeyCode::Enter);
    }
    assert!(m.desk().is_some(), "logged in");
    key(&mut m, KeyCode::F(3));
    key(&mut m, KeyCode::Char('n'));
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    let other = Connection::open(&path).expect("the other terminal");
    other.execute_batch("BEGIN IMMEDIATE").expect("hold the write lock");
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 32)).expect("terminal");
    let mut clock = now * 1000;
    // ten keys a second, as a quick typist; a name typed and taken back
    let mut one = |m: &mut Model, i: usize| {
        key(m, if i % 2 == 0 { KeyCode::Char('王') } else { KeyCode::Backspace });
        clock += 100;
        m.tick_ms(clock);
        term.draw(|f| frontdesk::ui::draw(f, m)).expect("draw");
    };
    let mut times: Vec<Duration> = (0..300)
        .map(|i| {
            let t = Instant::now();
            one(&mut m, i);
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "key to frame with the write lock held elsewhere: median {:.2?}, slowest {:.2?} of {}",
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
    let mut g = c.benchmark_group("locked");
    let mut i = 0;
    g.bench_function("key_to_frame", |b| {
        b.iter(|| {
            one(&mut m, i);
            i += 1;
        })
    });
    g.finish();
    other.execute_batch("ROLLBACK").expect("release");
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_locked_keys(&mut c);
    let full = measuring();
    if full {
        let import_rows = env_usize("FRONTDESK_BENCH_IMPORT_ROWS", DEFAULT_IMPORT_ROWS);
        if import_rows > 0 {
            bench_import(&mut c, import_rows, 10);
        }
    } else {
        bench_import(&mut c, 200, 10);
    }
    let _scratch;
    let path = if full {
        let scale_rows = env_usize("FRONTDESK_BENCH_SCALE_ROWS", DEFAULT_SCALE_ROWS);
        if scale_rows > 0 {
            scale_rate(scale_rows);
        }
        bench_db(env_usize("FRONTDESK_BENCH_ROWS", DEFAULT_ROWS))
    } else {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bench.sqlite");
        let now = now();
        let mut store = fresh_store(&path, now);
        demo::scale(&mut store, TEST_ROWS, now, OFFSET).expect("demo::scale");
        _scratch = dir;
        path
    };
    let now = now();
    let mut store = Store::open(&path).expect("open bench database");
    db_report(&store, &path);
    let ctx = Context { new: false, ..Context::new(now, OFFSET) };
    let max: i64 = store.conn().query_row("SELECT max(id) FROM visitor", [], |r| r.get(0)).expect("max id");
    let number = store.get(&visitor::REGISTER, max / 2).expect("a middle record").number;

    if full && env_usize("FRONTDESK_BENCH_REINDEX", 0) > 0 {
        reindex_once(&path);
    }
    bench_search(&mut c, &store, &ctx, &number);
    bench_page(&mut c, &store, &ctx);
    bench_save(&mut c, &mut store, &path, now);
    bench_complaints(&mut c, &mut store, &ctx);

    c.final_summary();
}
