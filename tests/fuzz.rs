//! Random keys, pastes, resizes and clock ticks through the model, every event drawn at
//! the terminal's size: nothing panics and the database stays whole. A few thousand
//! events per language here; `FRONTDESK_SOAK=1` runs 1,000,000, `FRONTDESK_FUZZ_EVENTS=N` N (README, Reliability).

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::demo::{self, DEMO_OPERATORS, Rng};
use frontdesk::i18n::{I18n, Lang};
use frontdesk::keymap::Keymap;
use frontdesk::model::{Model, Phase};
use frontdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn events() -> usize {
    // a count of one's own, for a run between the two
    if let Some(n) = std::env::var("FRONTDESK_FUZZ_EVENTS").ok().and_then(|v| v.parse().ok()) {
        return n;
    }
    match std::env::var("FRONTDESK_SOAK") {
        Ok(v) if !v.is_empty() && v != "0" => 1_000_000,
        _ => 4_000,
    }
}

const TEXT: &[&str] =
    &["王芳", "张", "咨询租赁", "13812345678", "a", "Smith", "，", "（）", "1", " ", "é", "😀", "-3", "0"];
const PASTES: &[&str] = &[
    "王\u{1b}]0;标题\u{7}五",
    "\u{202e}abc\u{2066}",
    "line one\nline two\r\n\tthree",
    "\u{1b}[41m红\u{1b}[0m",
    "",
    "很长的文字很长的文字很长的文字很长的文字很长的文字很长的文字很长的文字很长的文字很长的文字",
];

fn random_key(r: &mut Rng) -> KeyEvent {
    let none = KeyModifiers::NONE;
    let code = match r.below(20) {
        0 => KeyCode::F(1 + r.below(12) as u8),
        1 => [KeyCode::Up, KeyCode::Down, KeyCode::Left, KeyCode::Right][r.below(4)],
        2 => [KeyCode::Tab, KeyCode::BackTab, KeyCode::Enter, KeyCode::Esc][r.below(4)],
        3 => [KeyCode::Backspace, KeyCode::Delete, KeyCode::Insert, KeyCode::Home, KeyCode::End][r.below(5)],
        4 => [KeyCode::PageUp, KeyCode::PageDown][r.below(2)],
        5 => {
            // Ctrl-a…z but q (quit is tried on its own below) and c
            let c = (b'a' + r.below(26) as u8) as char;
            let c = if c == 'q' || c == 'c' { 's' } else { c };
            return KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        }
        6 => return KeyEvent::new(KeyCode::Char((b'0' + r.below(10) as u8) as char), KeyModifiers::ALT),
        7..=12 => {
            KeyCode::Char(r.pick(&["n", "x", "y", "f", "F", "s", "b", "/", "h", "l", "j", "k"]).chars().next().unwrap())
        }
        _ => KeyCode::Char(r.pick(TEXT).chars().next().unwrap()),
    };
    KeyEvent::new(code, none)
}

fn run(lang: Lang, seed: u64) {
    let (_d, path) = support::temp_db();
    let now = support::NOW;
    let mut store = Store::open(&path).unwrap();
    demo::seed(&mut store, now, 8 * 3600).unwrap();
    let (keymap, _) = Keymap::load(None);
    let mut m = Model::new(store, I18n::new(lang), keymap, now, 8 * 3600);
    let mut r = Rng::new(seed);
    let (mut w, mut h) = (120u16, 32u16);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut clock = now * 1000;
    for i in 0..events() {
        // an operator logs in (again) when the screen asks for one
        let asks = match &m.phase {
            Phase::Login(_) | Phase::Setup(_) => true,
            Phase::Desk(d) => d.lock.is_some(),
        };
        if asks && r.chance(30) {
            let (code, pw, ..) = DEMO_OPERATORS[r.below(DEMO_OPERATORS.len())];
            for ch in code.chars() {
                m.on_key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE));
            }
            m.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
            for ch in pw.chars() {
                m.on_key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE));
            }
            m.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        }
        match r.below(100) {
            0 => {
                w = 20 + r.below(121) as u16;
                h = 5 + r.below(41) as u16;
                term.backend_mut().resize(w, h);
                m.resize(w, h);
            }
            1 => m.on_paste(r.pick(PASTES)),
            2..=4 => {
                clock += 1_000 * (1 + r.below(600) as i64);
                m.tick_ms(clock);
            }
            5 if i % 97 == 0 => m.on_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            _ => m.on_key(random_key(&mut r)),
        }
        clock += 50;
        m.tick_ms(clock);
        m.quit = false;
        term.draw(|f| frontdesk::ui::draw(f, &m)).unwrap();
    }
    let report = m.store.check().unwrap();
    assert!(report.ok(), "{report:?}");
}

#[test]
fn random_keys_resizes_and_pastes_in_english_never_panic() {
    run(Lang::En, 2024);
}

#[test]
fn random_keys_resizes_and_pastes_in_chinese_never_panic() {
    run(Lang::Zh, 31337);
}
