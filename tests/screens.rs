//! What the operator sees: screens rendered to a test backend, in Chinese and English,
//! at 80x24 and larger, kept as insta snapshots.

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::{Role, Value, visitor};
use frontdesk::i18n::Lang;
use frontdesk::model::Model;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;

const DESK: &[(&str, &str, &[Role])] = &[("desk1", "王芳", &[Role::Receptionist])];

fn render(m: &mut Model, w: u16, h: u16) -> Terminal<TestBackend> {
    m.resize(w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| frontdesk::ui::draw(f, m)).unwrap();
    t
}

fn screen(m: &mut Model, w: u16, h: u16) -> String {
    render(m, w, h).backend().to_string()
}

fn with_visitors(lang: Lang) -> Model {
    let mut s = store_with(None, DESK);
    let rows = [
        ("王芳", "13812345678", "咨询三楼办公室租赁", "B", true),
        ("欧阳娜娜", "", "送合同文件给销售部", "D", false),
        ("James Smith", "13900001111", "Lease enquiry for the 12th floor", "C", false),
        ("张伟", "01065521234", "车辆保养预约，取回行驶证", "A", false),
    ];
    for (i, (name, phone, purpose, class, intent)) in rows.iter().enumerate() {
        let mut v = visitor(name, phone, purpose);
        v[visitor::REGISTER.index("occurred_at").unwrap()] = Value::Time(NOW - 3600 * (4 - i as i64));
        v[visitor::REGISTER.index("visitor_class").unwrap()] = text(class);
        v[visitor::REGISTER.index("intent").unwrap()] = Value::Bool(*intent);
        s.insert(2, &ctx(), &visitor::REGISTER, &v).unwrap();
    }
    s.void(2, &ctx(), &visitor::REGISTER, 2, 1, "重复登记").unwrap();
    let mut m = model(s, lang);
    login(&mut m, "desk1", "pass123");
    m.status = None;
    m
}

#[test]
fn login_screen_of_the_demo_in_chinese_at_80x24() {
    let mut m = model(store_with(None, DESK), Lang::Zh);
    m.demo = true;
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn first_run_setup_at_80x24() {
    let mut m = model(frontdesk::store::Store::open_in_memory().unwrap(), Lang::En);
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn visitor_register_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn visitor_register_in_english_at_120x32() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    insta::assert_snapshot!(screen(&mut m, 120, 32));
}

#[test]
fn today_in_chinese_at_120x32() {
    let mut m = with_visitors(Lang::Zh);
    insta::assert_snapshot!(screen(&mut m, 120, 32));
}

#[test]
fn a_refused_visitor_form_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "phone");
    type_text(&mut m, "12ab");
    m.on_key(ctrl('s'));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn a_visitor_form_with_its_budget_in_english_at_120x32() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "name");
    type_text(&mut m, "李雷");
    focus(&mut m, "visitor_class");
    type_text(&mut m, "a");
    focus(&mut m, "party_size");
    m.on_key(ctrl('u'));
    type_text(&mut m, "6");
    insta::assert_snapshot!(screen(&mut m, 120, 32));
}

#[test]
fn the_cursor_sits_at_the_caret_after_wide_characters() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "name");
    let mut t = render(&mut m, 80, 24);
    let empty = t.get_cursor_position().unwrap();
    type_text(&mut m, "王小");
    t.draw(|f| frontdesk::ui::draw(f, &m)).unwrap();
    let after = t.get_cursor_position().unwrap();
    assert_eq!(after.y, empty.y);
    assert_eq!(after.x, empty.x + 4, "two CJK characters are four columns");
    type_text(&mut m, "a");
    m.on_key(key(KeyCode::Left));
    m.on_key(key(KeyCode::Left));
    t.draw(|f| frontdesk::ui::draw(f, &m)).unwrap();
    assert_eq!(t.get_cursor_position().unwrap().x, empty.x + 2);
}

#[test]
fn type_ahead_offers_cards_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.store.insert(1, &ctx(), &frontdesk::domain::customer::REGISTER, &card("欧阳娜娜", "13700001111")).unwrap();
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "name");
    type_text(&mut m, "欧阳");
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn search_by_one_character_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "/王");
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn help_fits_80x24() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::F(1)));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn help_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(1)));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn the_lock_screen_shows_nothing_of_the_register() {
    let mut m = with_visitors(Lang::Zh);
    m.on_key(key(KeyCode::F(3)));
    m.on_key(ctrl('l'));
    let s = screen(&mut m, 80, 24);
    assert!(!s.contains("王芳 ") || !s.contains("1381"), "no register data while locked");
    assert!(!s.contains("欧阳娜娜") && !s.contains("James Smith"));
    insta::assert_snapshot!(s);
}

#[test]
fn a_terminal_below_80x24_says_so() {
    let mut m = with_visitors(Lang::En);
    for (w, h) in [(79, 24), (80, 23), (20, 5), (1, 1)] {
        let s = screen(&mut m, w, h);
        if w >= 20 {
            assert!(s.contains("needs") || s.contains("frontdesk"), "{s}");
        }
    }
    insta::assert_snapshot!(screen(&mut m, 60, 20));
}

#[test]
fn admin_settings_in_chinese_at_120x32() {
    let mut m = model(store_with(None, &[]), Lang::Zh);
    login(&mut m, "admin", "admin123");
    m.on_key(key(KeyCode::F(8)));
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Tab));
    m.status = None;
    insta::assert_snapshot!(screen(&mut m, 120, 32));
}

#[test]
fn a_conflict_shows_their_value_and_mine() {
    let (_d, path) = temp_db();
    let ops: &[(&str, &str, &[Role])] =
        &[("desk1", "王芳", &[Role::Receptionist]), ("desk2", "李娜", &[Role::Receptionist])];
    let mut a = model(store_with(Some(&path), ops), Lang::Zh);
    let mut b = model(frontdesk::store::Store::open(&path).unwrap(), Lang::Zh);
    a.store.insert(1, &ctx(), &frontdesk::domain::customer::REGISTER, &card("王芳", "13812345678")).unwrap();
    login(&mut a, "desk1", "pass123");
    login(&mut b, "desk2", "pass123");
    for m in [&mut a, &mut b] {
        m.on_key(key(KeyCode::F(3)));
        m.on_key(key(KeyCode::Tab));
        m.on_key(key(KeyCode::Enter));
    }
    focus(&mut a, "address");
    type_text(&mut a, "深南大道1号");
    a.on_key(ctrl('s'));
    focus(&mut b, "address");
    type_text(&mut b, "人民路8号");
    b.on_key(ctrl('s'));
    insta::assert_snapshot!(screen(&mut b, 120, 32));
}

#[test]
fn ascii_borders_and_no_colour() {
    let mut m = with_visitors(Lang::Zh);
    m.ascii = true;
    m.color = false;
    m.on_key(key(KeyCode::F(3)));
    let t = render(&mut m, 80, 24);
    let s = t.backend().to_string();
    assert!(s.contains("+--") && !s.contains('┌'));
    let buf = t.backend().buffer();
    assert!(buf.content().iter().all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset));
}

#[test]
fn today_with_more_visitors_than_one_page_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    for i in 0..20 {
        let mut v = visitor(&format!("来宾{i:02}"), "", "参观样板间");
        v[0] = Value::Time(NOW - 1800 + i * 60);
        m.store.insert(2, &ctx(), &visitor::REGISTER, &v).unwrap();
    }
    m.on_key(key(KeyCode::F(2)));
    let s = screen(&mut m, 80, 24);
    // three current ones from before, twenty more: the day's count, not the page's
    assert!(s.contains("今日来访来电（23）"), "{s}");
    assert!(s.contains("来宾19"), "the newest on top");
    assert!(s.contains("PgUp/PgDn"), "the rest is said to be there");
    insta::assert_snapshot!(s);
}

#[test]
fn customer_cards_with_cut_phones_in_chinese_at_80x24() {
    let mut m = with_visitors(Lang::Zh);
    let cards = [
        ("欧阳建国", "上海远大集团有限公司", "13912345678,02162881234,18611112222"),
        ("John Smith", "Smith & Partners Ltd", "18600001111,+498938200"),
        ("黄刚", "", "02162881234x801"),
    ];
    for (name, org, phones) in cards {
        let mut c = card(name, phones);
        c[frontdesk::domain::customer::REGISTER.index("organisation").unwrap()] =
            if org.is_empty() { Value::Null } else { text(org) };
        c[frontdesk::domain::customer::REGISTER.index("grade").unwrap()] = text("B");
        m.store.insert(1, &ctx(), &frontdesk::domain::customer::REGISTER, &c).unwrap();
    }
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::Tab));
    let s = screen(&mut m, 80, 24);
    for line in s.lines() {
        // a phone is whole, or cut with "…"; never a fragment like "186 0000 1"
        assert!(!line.contains("186 1111 2 ") && !line.contains("1861111"), "{line}");
    }
    assert!(s.contains("139 1234 5678…") || s.contains("139 1234 5678, …"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn a_phone_call_shows_no_hospitality_in_english_at_120x32() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "channel");
    type_text(&mut m, "p");
    focus(&mut m, "name");
    type_text(&mut m, "欧阳建国");
    focus(&mut m, "visitor_class");
    type_text(&mut m, "a");
    focus(&mut m, "party_size");
    m.on_key(ctrl('u'));
    type_text(&mut m, "6");
    let s = screen(&mut m, 120, 32);
    assert!(s.contains("‹ Phone ›"), "{s}");
    assert!(!s.contains("Budget") && !s.contains("Escorts") && !s.contains("Host"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn an_invalid_party_size_shows_no_figures_but_its_error() {
    let mut m = with_visitors(Lang::En);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "party_size");
    m.on_key(ctrl('u'));
    type_text(&mut m, "12");
    let s = screen(&mut m, 120, 32);
    assert!(s.contains("at least 3"), "{s}");
    for bad in ["0", "-3", "abc", "1000"] {
        m.on_key(ctrl('u'));
        type_text(&mut m, bad);
        let s = screen(&mut m, 120, 32);
        assert!(!s.contains("Budget") && !s.contains("Escorts"), "{bad}: {s}");
        assert!(s.contains("Party size:"), "{bad}: the field's error is shown: {s}");
    }
    m.on_key(ctrl('u'));
    type_text(&mut m, "5");
    let s = screen(&mut m, 120, 32);
    assert!(s.contains("× 5 = 750") && s.contains("Escorts needed: 2"), "follows what is typed now: {s}");
}

/// A card with `n` visits, the newest last; returns the visits' numbers, newest first.
fn card_with_visits(m: &mut Model, n: i64) -> Vec<String> {
    let c = &frontdesk::domain::customer::REGISTER;
    let (card_id, _) = m.store.insert(1, &ctx(), c, &card("欧阳建国", "13912345678")).unwrap();
    let mut numbers: Vec<String> = (0..n)
        .map(|i| {
            let mut v = visitor("欧阳建国", "13912345678", &format!("第{i}次看房"));
            v[0] = Value::Time(NOW - 86_400 * (n - i));
            v[visitor::REGISTER.index("customer_id").unwrap()] = Value::Ref(card_id);
            m.store.insert(2, &ctx(), &visitor::REGISTER, &v).unwrap().1
        })
        .collect();
    numbers.reverse();
    numbers
}

#[test]
fn a_cards_history_shows_what_fits_scrolls_and_opens_a_visit() {
    let mut m = with_visitors(Lang::Zh);
    let visits = card_with_visits(&mut m, 12);
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Enter));
    let s = screen(&mut m, 80, 24);
    let shown = s.lines().filter(|l| l.contains("V-2026-")).count();
    assert!(shown >= 3, "more than one line at 80x24: {s}");
    assert!(s.contains("往来记录（12）"), "{s}");
    assert!(s.contains("第11次看房") && s.contains("接待人 管理员"), "purpose and who served: {s}");
    assert!(s.contains("还有"), "what is not shown is said: {s}");

    // Tab past the last field: the history has the keyboard; ↓ scrolls it
    for _ in 0..30 {
        if m.desk().unwrap().form().unwrap().related_at.is_some() {
            break;
        }
        m.on_key(key(KeyCode::Tab));
    }
    assert_eq!(m.desk().unwrap().form().unwrap().related_at, Some(0));
    type_text(&mut m, "zz");
    assert!(!m.desk().unwrap().form().unwrap().dirty, "typing in the history changes no field");
    for _ in 0..11 {
        m.on_key(key(KeyCode::Down));
    }
    let s = screen(&mut m, 80, 24);
    assert!(s.contains(&visits[11]), "the oldest visit scrolled into view: {s}");
    assert!(!s.contains(&format!("{} ", visits[0])), "the newest scrolled out: {s}");
    insta::assert_snapshot!(s);

    // Enter opens that visit in the register
    m.on_key(key(KeyCode::Enter));
    let d = m.desk().unwrap();
    assert_eq!(d.view().unwrap().def.name, "visitor");
    assert_eq!(d.form().unwrap().base.as_ref().unwrap().number, visits[11]);
    // and the card is still open in its tab
    m.on_key(key(KeyCode::Esc));
    m.on_key(key(KeyCode::Tab));
    assert!(m.desk().unwrap().form().is_some_and(|f| f.name == "customer"));
}

#[test]
fn a_cards_history_at_160x45_has_room_for_every_visit() {
    let mut m = with_visitors(Lang::En);
    let visits = card_with_visits(&mut m, 12);
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Enter));
    let s = screen(&mut m, 160, 45);
    for v in &visits {
        assert!(s.contains(v.as_str()), "{v}: {s}");
    }
}

#[test]
fn a_visit_in_a_cards_history_opens_only_for_who_may_see_the_register() {
    let ops: &[(&str, &str, &[Role])] = &[("fix1", "刘工", &[Role::Dispatcher])];
    let mut s = store_with(None, ops);
    let c = &frontdesk::domain::customer::REGISTER;
    let (card_id, _) = s.insert(1, &ctx(), c, &card("欧阳建国", "13912345678")).unwrap();
    let mut v = visitor("欧阳建国", "13912345678", "看房");
    v[visitor::REGISTER.index("customer_id").unwrap()] = Value::Ref(card_id);
    s.insert(1, &ctx(), &visitor::REGISTER, &v).unwrap();
    let mut m = model(s, Lang::Zh);
    login(&mut m, "fix1", "pass123");
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::Enter));
    let f = m.desk().unwrap().form().expect("the card opens");
    if !f.related.is_empty() {
        m.desk_mut().unwrap().form_mut().unwrap().related_at = Some(0);
        m.on_key(key(KeyCode::Enter));
        let d = m.desk().unwrap();
        assert_eq!(d.form().map(|f| f.name), Some("customer"), "no visitor record opened");
        assert!(m.status.as_ref().is_some_and(|s| s.level == frontdesk::model::Level::Error));
    }
}

#[test]
fn list_headings_are_never_cut_alike_in_either_language_at_80_and_160() {
    for lang in [Lang::Zh, Lang::En] {
        let mut m = with_visitors(lang);
        m.store.insert(1, &ctx(), &frontdesk::domain::customer::REGISTER, &card("黄刚", "13912345678")).unwrap();
        m.on_key(key(KeyCode::F(3)));
        for tab in 0..2 {
            for (w, h) in [(80, 24), (160, 45)] {
                let s = screen(&mut m, w, h);
                let head = s
                    .lines()
                    .find(|l| l.starts_with("\"│") && (l.contains("编号") || l.contains("Number")))
                    .expect("a heading row");
                let head = head.split('"').nth(1).unwrap_or(head).trim_matches('│');
                let cells: Vec<&str> = head.split_whitespace().collect();
                assert!(!head.contains('…'), "{lang:?} tab {tab} at {w}: {head}");
                let mut seen = cells.clone();
                seen.sort();
                seen.dedup();
                assert_eq!(seen.len(), cells.len(), "{lang:?} tab {tab} at {w}: {head}");
            }
            m.on_key(key(KeyCode::Tab));
        }
    }
}
