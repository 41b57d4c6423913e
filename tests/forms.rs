//! Every text in a form can be read in full, the terminal cursor is where the operator
//! types, and lines break where a reader expects: key sequences through the model, drawn
//! on a test backend (Chinese data at 80x24, English at 120x32).

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::{Role, Value, complaint, visitor};
use frontdesk::i18n::Lang;
use frontdesk::model::Model;
use frontdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;

const DESK: &[(&str, &str, &[Role])] = &[("desk1", "王芳", &[Role::Receptionist])];

const STAFF: &[(&str, &str, &[Role])] = &[
    ("desk1", "王芳", &[Role::Receptionist]),
    ("super", "张强", &[Role::Supervisor]),
    ("fix1", "刘工", &[Role::Dispatcher]),
];

/// A drawing of the model, kept between keys as a terminal keeps its screen.
struct Screen {
    t: Terminal<TestBackend>,
}

impl Screen {
    fn new(m: &mut Model, w: u16, h: u16) -> Screen {
        m.resize(w, h);
        let mut s = Screen { t: Terminal::new(TestBackend::new(w, h)).unwrap() };
        s.draw(m);
        s
    }

    /// The model drawn on a new terminal of this size: what a snapshot keeps, free of what
    /// a test backend leaves behind wide characters drawn over.
    fn fresh(&self, m: &Model) -> String {
        let a = self.t.backend().buffer().area;
        let mut s = Screen { t: Terminal::new(TestBackend::new(a.width, a.height)).unwrap() };
        s.draw(m)
    }

    fn draw(&mut self, m: &Model) -> String {
        self.t.draw(|f| frontdesk::ui::draw(f, m)).unwrap();
        self.text()
    }

    /// The screen as a terminal shows it (a wide character once, over its two cells).
    fn text(&self) -> String {
        (0..self.t.backend().buffer().area.height).map(|y| self.row(y)).collect::<Vec<_>>().join("\n")
    }

    /// The terminal cursor, when shown.
    fn cursor(&self) -> Option<(u16, u16)> {
        let b = self.t.backend();
        b.cursor_visible().then(|| {
            let p = b.cursor_position();
            (p.x, p.y)
        })
    }

    fn cell(&self, x: u16, y: u16) -> String {
        self.t.backend().buffer()[(x, y)].symbol().to_string()
    }

    fn row(&self, y: u16) -> String {
        let b = self.t.backend().buffer();
        let mut out = String::new();
        let mut x = 0;
        while x < b.area.width {
            let sym = b[(x, y)].symbol();
            out.push_str(sym);
            x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
        }
        out
    }
}

fn snapshot(s: &str) -> String {
    s.lines().map(|l| l.trim_end().to_string()).collect::<Vec<_>>().join("\n")
}

/// The form open on screen.
fn form(m: &Model) -> &frontdesk::model::FormState {
    m.desk().and_then(|d| d.form()).expect("a form is open")
}

/// Twenty sentences, 第1句 to 第20句, about 260 characters.
fn long_text() -> String {
    (1..=20).map(|i| format!("第{i}句客户反映空调噪音很大。")).collect()
}

fn desk_with(lang: Lang, name: &str, purpose: &str) -> Model {
    let mut s = store_with(None, DESK);
    s.insert(2, &ctx(), &visitor::REGISTER, &visitor(name, "13812345678", purpose)).unwrap();
    let mut m = model(s, lang);
    login(&mut m, "desk1", "pass123");
    m.on_key(key(KeyCode::F(3)));
    m.status = None;
    m
}

fn new_visitor(m: &mut Model) {
    m.on_key(key(KeyCode::F(3)));
    type_text(m, "n");
}

#[test]
fn a_long_name_scrolls_sideways_and_the_caret_stays_in_its_box() {
    let mut m = desk_with(Lang::Zh, "王芳", "咨询");
    new_visitor(&mut m);
    focus(&mut m, "name");
    let mut s = Screen::new(&mut m, 80, 24);
    let (x0, y) = s.cursor().expect("the cursor is in the name field");
    let name = "欧阳娜娜司马相如诸葛孔明上官婉儿东方不败令狐冲独孤求败慕容复西门吹雪陆小凤花满楼";
    for c in name.chars() {
        type_text(&mut m, &c.to_string());
        s.draw(&m);
        let (x, cy) = s.cursor().expect("the cursor stays shown");
        assert_eq!(cy, y, "one row");
        // what was just typed is right before the cursor, inside the box
        assert_eq!(s.cell(x - 2, y), c.to_string(), "{}", s.row(y));
        assert!(x < 79, "the caret never sits on the box's edge: {x}");
    }
    let row = s.row(y);
    assert!(row.contains('…') && row.contains("西门吹雪陆小凤花满楼"), "the start is cut and marked: {row}");
    assert!(!row.contains("欧阳娜娜"), "{row}");
    // back to the start: the start shows, the end is marked
    m.on_key(key(KeyCode::Home));
    s.draw(&m);
    assert_eq!(s.cursor(), Some((x0, y)));
    let row = s.row(y);
    assert!(row.contains("欧阳娜娜") && row.trim_end().trim_end_matches('│').trim_end().ends_with('…'), "{row}");
    // in the middle, both sides can be cut
    for _ in 0..14 {
        m.on_key(key(KeyCode::Right));
    }
    m.on_key(key(KeyCode::End));
    for _ in 0..12 {
        m.on_key(key(KeyCode::Left));
    }
    s.draw(&m);
    let (x, _) = s.cursor().unwrap();
    let caret = form(&m).values[form(&m).focus].caret;
    let at: String = name.chars().nth(caret).unwrap().to_string();
    assert_eq!(s.cell(x, y), at, "the cursor is on the character at the caret: {}", s.row(y));
    insta::assert_snapshot!(snapshot(&s.fresh(&m)));
}

#[test]
fn a_long_purpose_keeps_the_caret_row_in_view_key_by_key() {
    let mut m = desk_with(Lang::Zh, "王芳", "咨询");
    new_visitor(&mut m);
    focus(&mut m, "purpose");
    let mut s = Screen::new(&mut m, 80, 24);
    let text: Vec<char> = "一二三四五六七八九十".chars().cycle().take(300).collect();
    for (i, c) in text.iter().enumerate() {
        type_text(&mut m, &c.to_string());
        if i % 7 == 0 || i + 1 == text.len() {
            s.draw(&m);
            let (x, y) = s.cursor().expect("the cursor is in the purpose");
            // the character just typed is next to the cursor: the view never lags
            let before = if x >= 2 && s.cell(x - 2, y) == c.to_string() {
                true
            } else {
                // at the start of a row: it ended the row above
                s.row(y - 1).trim_end().trim_end_matches('│').trim_end().ends_with(*c)
            };
            assert!(before, "key {i}: {c} next to the cursor at {x},{y}:\n{}", s.text());
        }
    }
    // PgUp moves up the text by rows, PgDn back down, the cursor with the caret
    let (_, y_end) = s.cursor().unwrap();
    m.on_key(key(KeyCode::PageUp));
    s.draw(&m);
    let (_, y_up) = s.cursor().unwrap();
    assert!(y_up < y_end, "{y_up} {y_end}");
    let caret_up = form(&m).values[form(&m).focus].caret;
    assert!(caret_up < 300);
    m.on_key(key(KeyCode::PageDown));
    s.draw(&m);
    assert!(form(&m).values[form(&m).focus].caret > caret_up);
}

#[test]
fn a_saved_long_text_opens_at_its_start() {
    let mut m = desk_with(Lang::Zh, "王芳", &long_text());
    m.on_key(key(KeyCode::Enter));
    let mut s = Screen::new(&mut m, 80, 24);
    let shown = s.text();
    assert!(shown.contains("第1句"), "the start, not the end: {shown}");
    assert!(!shown.contains("第20句"), "{shown}");
    focus(&mut m, "purpose");
    let shown = s.draw(&m);
    assert!(shown.contains("第1句") && !shown.contains("第20句"), "{shown}");
    let (x, y) = s.cursor().expect("the caret at the start");
    assert_eq!(s.cell(x, y), "第");
}

/// A voided visitor: nothing can be typed, everything can be read.
fn voided(lang: Lang) -> Model {
    let mut s = store_with(None, DESK);
    let name = "欧阳娜娜（远大置业集团华东区域总部行政与后勤保障中心主任助理）";
    let mut v = visitor(name, "13812345678", &long_text());
    v[visitor::REGISTER.index("visitor_class").unwrap()] = text("B");
    v[visitor::REGISTER.index("intent").unwrap()] = Value::Bool(true);
    let (id, _) = s.insert(2, &ctx(), &visitor::REGISTER, &v).unwrap();
    s.void(2, &ctx(), &visitor::REGISTER, id, 1, "重复登记").unwrap();
    let mut m = model(s, lang);
    login(&mut m, "desk1", "pass123");
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::Enter));
    m.status = None;
    m
}

#[test]
fn a_voided_record_is_read_field_by_field_in_chinese_at_80x24() {
    let mut m = voided(Lang::Zh);
    let f = form(&m);
    assert!((0..f.fields.len()).all(|i| !f.editable(i)));
    let mut s = Screen::new(&mut m, 80, 24);
    assert_eq!(s.cursor(), None, "nothing to type in: no cursor");
    // the focus goes through every field shown, forward and back
    let mut seen = vec![form(&m).def().key];
    for _ in 0..20 {
        m.on_key(key(KeyCode::Tab));
        let k = form(&m).def().key;
        if k == seen[0] {
            break;
        }
        seen.push(k);
    }
    for k in ["occurred_at", "channel", "name", "phone", "visitor_class", "purpose", "intent"] {
        assert!(seen.contains(&k), "{k} gets the focus: {seen:?}");
    }
    m.on_key(key(KeyCode::BackTab));
    assert_eq!(form(&m).def().key, *seen.last().unwrap());
    m.on_key(key(KeyCode::Down));
    assert_eq!(form(&m).def().key, seen[0], "arrows move too");
    // read-only choices show no arrows; the long name is shown whole
    focus(&mut m, "name");
    let shown = s.draw(&m);
    assert!(!shown.contains('‹') && !shown.contains('›'), "{shown}");
    let flat: String = shown.lines().map(|l| l.replace(['│', ' '], "")).collect();
    assert!(flat.contains("欧阳娜娜（远大置业集团华东区域总部行政与后勤保障中心主任助理）"), "{shown}");
    // the purpose: every sentence can be read, page by page
    focus(&mut m, "purpose");
    let mut read = String::new();
    for _ in 0..10 {
        let shown = s.draw(&m);
        read.push_str(&shown.lines().map(|l| l.replace(['│', ' '], "")).collect::<String>());
        m.on_key(key(KeyCode::PageDown));
    }
    for i in 1..=20 {
        assert!(read.contains(&format!("第{i}句")), "sentence {i} can be read");
    }
    focus(&mut m, "name");
    s.draw(&m);
    insta::assert_snapshot!(snapshot(&s.fresh(&m)));
}

#[test]
fn a_voided_record_is_read_field_by_field_in_english_at_120x32() {
    let mut m = voided(Lang::En);
    let mut s = Screen::new(&mut m, 120, 32);
    focus(&mut m, "purpose");
    let shown = s.draw(&m);
    assert_eq!(s.cursor(), None);
    assert!(!shown.contains('‹'), "{shown}");
    assert!(shown.contains("第1句"), "{shown}");
    insta::assert_snapshot!(snapshot(&s.fresh(&m)));
}

#[test]
fn page_keys_past_the_top_or_bottom_do_not_pile_up() {
    let mut m = voided(Lang::Zh);
    let mut s = Screen::new(&mut m, 80, 24);
    let top = s.draw(&m);
    for _ in 0..5 {
        m.on_key(key(KeyCode::PageUp));
        s.draw(&m);
    }
    assert_eq!(s.draw(&m), top, "already at the top");
    m.on_key(key(KeyCode::PageDown));
    let down = s.draw(&m);
    assert_ne!(down, top, "one PgDn after five PgUp at the top moves at once");
    for _ in 0..8 {
        m.on_key(key(KeyCode::PageDown));
        s.draw(&m);
    }
    let bottom = s.draw(&m);
    m.on_key(key(KeyCode::PageUp));
    assert_ne!(s.draw(&m), bottom, "one PgUp after paging past the bottom moves at once");
}

#[test]
fn the_cursor_sits_on_every_kind_of_field() {
    let mut m = desk_with(Lang::Zh, "王芳", "咨询");
    new_visitor(&mut m);
    let mut s = Screen::new(&mut m, 80, 24);
    // a choice: on its value, inside the arrows
    focus(&mut m, "channel");
    s.draw(&m);
    let (x, y) = s.cursor().expect("a choice has the cursor");
    assert_eq!(s.cell(x - 2, y), "‹", "{}", s.row(y));
    assert_eq!(s.cell(x, y), "来", "on 来访: {}", s.row(y));
    // a checkbox: in its box
    focus(&mut m, "intent");
    s.draw(&m);
    let (x, y) = s.cursor().expect("a checkbox has the cursor");
    assert_eq!(s.cell(x - 1, y), "[", "{}", s.row(y));
    assert_eq!(s.cell(x + 1, y), "]");
    type_text(&mut m, " ");
    s.draw(&m);
    assert_eq!(s.cell(x, y), "x", "ticked where the cursor is");
    assert_eq!(s.cursor(), Some((x, y)));
    // a text: after what is typed
    focus(&mut m, "name");
    type_text(&mut m, "李雷");
    s.draw(&m);
    let (x, y) = s.cursor().unwrap();
    assert_eq!(s.cell(x - 2, y), "雷");
}

#[test]
fn the_cursor_is_at_the_caret_after_a_draft_restore() {
    let (_d, path) = temp_db();
    let mut m = model(store_with(Some(&path), DESK), Lang::Zh);
    login(&mut m, "desk1", "pass123");
    new_visitor(&mut m);
    focus(&mut m, "name");
    type_text(&mut m, "李雷");
    m.quit();
    let mut m = model(Store::open(&path).unwrap(), Lang::Zh);
    login(&mut m, "desk1", "pass123");
    assert_eq!(form(&m).raw("name"), "李雷", "the draft came back");
    let s = Screen::new(&mut m, 80, 24);
    let (x, y) = s.cursor().expect("the cursor is in the restored form");
    assert_eq!(s.cell(x - 2, y), "雷", "at the caret: {}", s.text());
}

#[test]
fn flags_start_on_the_first_box_and_keep_earlier_ticks_in_view() {
    let mut m = desk_with(Lang::En, "Li Lei", "enquiry");
    m.on_key(key(KeyCode::F(4)));
    type_text(&mut m, "n");
    focus(&mut m, "major");
    let i = form(&m).focus;
    assert_eq!(form(&m).values[i].caret, 0, "the caret starts on the first box");
    // 80 columns: the boxes do not all fit beside the label
    let mut s = Screen::new(&mut m, 80, 24);
    let (x0, y) = s.cursor().expect("the flags have the cursor");
    assert_eq!(s.cell(x0 - 1, y), "[");
    type_text(&mut m, " ");
    m.on_key(key(KeyCode::Right));
    s.draw(&m);
    let (x1, _) = s.cursor().unwrap();
    assert!(x1 > x0, "→ moves to the next box");
    m.on_key(key(KeyCode::Left));
    s.draw(&m);
    let (x, y) = s.cursor().unwrap();
    assert_eq!(x, x0, "← comes back");
    assert_eq!(s.cell(x, y), "x", "to the first box, ticked");
    for _ in 0..10 {
        m.on_key(key(KeyCode::Right));
    }
    type_text(&mut m, " ");
    s.draw(&m);
    let (x, y) = s.cursor().unwrap();
    assert_eq!(s.cell(x - 1, y), "[");
    assert_eq!(s.cell(x, y), "x", "the last box, ticked: {}", s.row(y));
    assert_eq!(form(&m).raw("major"), "repeat,wide_impact");
    // the tick before the caret stays in view: every box is shown, on as many rows as needed
    let shown = s.text();
    assert!(shown.contains("[x]repeat") && shown.contains("[x]wide impact"), "{shown}");
    for label in ["escalated", "premises blocked", "return/exchange", "media"] {
        assert!(shown.contains(&format!("[ ]{label}")), "{label}: {shown}");
    }
}

/// A complaint waiting at the assignment step, as the desk or a supervisor opens it.
fn at_assign(code: &str, lang: Lang) -> Model {
    let mut s = store_with(None, STAFF);
    let received = NOW - 3600;
    let v = values(
        &complaint::REGISTER,
        &[
            ("received_at", Value::Time(received)),
            ("channel", text("phone")),
            ("complainant", text("李四")),
            ("contact", text("13812345678")),
            ("subject", text("奥迪A6 空调不制冷")),
            ("category", text("repair")),
            ("content", text(&long_text())),
            ("request", text("compensation")),
            ("received_by", Value::Ref(2)),
            ("key_customer", Value::Bool(false)),
            ("case_due_at", Value::Time(received + 7 * 86_400)),
            ("step_due_at", Value::Time(received + 7 * 86_400)),
            ("decision", text("stands")),
            ("decision_reason", text("属实")),
            ("decided_at", Value::Time(received + 600)),
            ("decided_by", Value::Ref(2)),
            ("step", text("assign")),
        ],
    );
    s.insert(2, &Context::new(received, OFFSET), &complaint::REGISTER, &v).unwrap();
    let mut m = model(s, lang);
    login(&mut m, code, "pass123");
    m.on_key(key(KeyCode::F(4)));
    m.on_key(key(KeyCode::Enter));
    m.status = None;
    m
}

#[test]
fn a_step_others_complete_is_read_only_and_says_who_in_chinese_at_80x24() {
    let mut m = at_assign("desk1", Lang::Zh);
    let f = form(&m);
    for k in ["department_id", "handler_id"] {
        assert!(!f.editable(f.index(k).unwrap()), "{k} is not the desk's to type");
    }
    let mut s = Screen::new(&mut m, 80, 24);
    // paged down to the step: its heading, and who completes it
    let mut shown = s.draw(&m);
    for _ in 0..6 {
        if shown.contains("本步骤由") {
            break;
        }
        m.on_key(key(KeyCode::PageDown));
        shown = s.draw(&m);
    }
    let rows: Vec<&str> = shown.lines().collect();
    let at = rows.iter().position(|l| l.contains("── 2 分派（C5） ──")).expect("the step's heading");
    assert!(rows[at + 1].starts_with("│本步骤由主管/经理/总经理完成"), "{shown}");
    insta::assert_snapshot!(snapshot(&s.fresh(&m)));
    // the supervisor types there, and the step's required fields are marked
    let mut m = at_assign("super", Lang::Zh);
    let f = form(&m);
    assert!(f.editable(f.index("department_id").unwrap()));
    assert!(f.step_note.is_none());
    let shown = Screen::new(&mut m, 80, 24).text();
    let line = shown.lines().find(|l| l.contains("受理部门") || l.contains("部门")).unwrap_or_default();
    assert!(line.contains('*'), "{shown}");
}

#[test]
fn field_messages_break_between_words_in_english() {
    let mut m = desk_with(Lang::En, "Li Lei", "enquiry");
    new_visitor(&mut m);
    focus(&mut m, "occurred_at");
    m.on_key(ctrl('u'));
    type_text(&mut m, "2026-13-45");
    m.on_key(ctrl('s'));
    let s = Screen::new(&mut m, 80, 24);
    let shown = s.text();
    // no word is cut at a row's end: every row of the message ends on a whole word
    let words = ["tomorrow", "until", "nor", "date"];
    for l in shown.lines() {
        let inner = l.trim_matches(['│', ' ']);
        for w in words {
            for cut in 1..w.len() {
                let (a, b) = w.split_at(cut);
                assert!(!(inner.ends_with(a) && shown.contains(&format!("\n{b}"))), "{w} split: {shown}");
            }
        }
    }
    assert!(shown.contains('⚠'), "{shown}");
}

#[test]
fn up_and_down_move_by_rows_inside_a_long_text_and_leave_it_at_its_ends() {
    let mut m = desk_with(Lang::Zh, "王芳", "咨询");
    new_visitor(&mut m);
    focus(&mut m, "purpose");
    let mut s = Screen::new(&mut m, 80, 24);
    let text: String = "一二三四五六七八九十".chars().cycle().take(120).collect();
    type_text(&mut m, &text);
    s.draw(&m);
    let at = form(&m).focus;
    let end = form(&m).values[at].caret;
    m.on_key(key(KeyCode::Up));
    s.draw(&m);
    assert_eq!(form(&m).focus, at, "↑ stays in the text while there is a row above");
    let up = form(&m).values[at].caret;
    assert!(up < end, "a row up: {up} < {end}");
    m.on_key(key(KeyCode::Down));
    s.draw(&m);
    assert_eq!((form(&m).focus, form(&m).values[at].caret), (at, end), "and back down to where it was");
    // from the last row, ↓ goes on to the next field
    m.on_key(key(KeyCode::Down));
    assert_ne!(form(&m).focus, at);
}
