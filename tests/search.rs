//! Search finds what is there (F10): the index and the query fold text the same way
//! (full-width forms, punctuation, case, accents, +86, emoji), a one- or two-letter term
//! is an index lookup, a database indexed before the fold is indexed again on open, and
//! the TUI's search box searches a moment after the last key.

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::register::Cond;
use frontdesk::domain::visitor;
use frontdesk::i18n::Lang;
use frontdesk::store::Store;
use support::*;

/// A store holding these visitors (name, phone, purpose), oldest first.
fn desk(rows: &[(&str, &str, &str)]) -> Store {
    let mut s = store_with(None, &[]);
    for (name, phone, purpose) in rows {
        s.insert(1, &ctx(), &visitor::REGISTER, &visitor(name, phone, purpose)).unwrap();
    }
    s
}

/// The names of the first page of a search, newest first.
fn found(s: &Store, query: &str) -> Vec<String> {
    s.search(&visitor::REGISTER, query, Cond::All, None, 20, &ctx())
        .unwrap()
        .iter()
        .map(|r| r.values[visitor::REGISTER.index("name").unwrap()].as_text().unwrap_or("").to_string())
        .collect()
}

#[test]
fn f10_full_width_punctuation_in_a_query_finds_the_entries_typed_either_way() {
    let s = desk(&[("王芳", "", "看房，咨询三楼"), ("李四", "", "看房,咨询"), ("张三", "", "看房")]);
    assert_eq!(found(&s, "看房，咨询"), ["李四", "王芳"]);
    assert_eq!(found(&s, "看房,咨询"), ["李四", "王芳"]);
    assert_eq!(found(&s, "看房、咨询三楼"), ["王芳"]);
}

#[test]
fn f10_full_width_brackets_in_a_query_find_the_entry() {
    let s = desk(&[("王芳", "", "拜访总经理（预约）"), ("李四", "", "拜访经理")]);
    assert_eq!(found(&s, "拜访总经理（预约）"), ["王芳"]);
    assert_eq!(found(&s, "拜访总经理(预约)"), ["王芳"]);
    assert_eq!(found(&s, "（预约）"), ["王芳"]);
}

#[test]
fn f10_full_width_letters_find_and_are_found_by_ascii() {
    let s = desk(&[("ＡＢＣ全角", "", "来访"), ("XYZ", "", "来访")]);
    for q in ["ＡＢＣ", "abc", "ABC", "ＡＢＣ全角", "ab", "ａ"] {
        assert_eq!(found(&s, q), ["ＡＢＣ全角"], "{q}");
    }
    assert_eq!(found(&s, "ｘｙｚ"), ["XYZ"]);
}

#[test]
fn f10_accents_and_case_are_folded_on_both_sides() {
    let s = desk(&[("José Müller", "", "Café"), ("Jones", "", "来访")]);
    for q in ["jose", "JOSE", "José", "josé", "muller", "müller", "cafe", "CAFÉ"] {
        assert_eq!(found(&s, q), ["José Müller"], "{q}");
    }
    assert_eq!(found(&s, "Jo"), ["Jones", "José Müller"]);
}

#[test]
fn f10_a_mobile_typed_with_86_finds_its_entry() {
    let s = desk(&[("王芳", "13800000000", "来访"), ("李四", "13900001111", "来访")]);
    for q in [
        "+86 138 0000 0000",
        "0086 138 0000 0000",
        "8613800000000",
        "+8613800000000",
        "＋８６ １３８ ００００ ００００",
    ] {
        assert_eq!(found(&s, q), ["王芳"], "{q}");
    }
}

#[test]
fn f10_an_emoji_alone_finds_the_entries_that_hold_it() {
    let s = desk(&[("小王😀", "", "来访"), ("李四", "", "送花🚀😀"), ("张三", "", "来访")]);
    assert_eq!(found(&s, "😀"), ["李四", "小王😀"]);
    assert_eq!(found(&s, "🚀"), ["李四"]);
    assert_eq!(found(&s, "😀🚀"), ["李四"]);
    assert!(found(&s, "🎉").is_empty());
}

#[test]
fn f10_one_or_two_latin_letters_or_digits_find_the_words_they_start() {
    let s = desk(&[("Smith", "13812345678", "来访"), ("Adams", "15900001111", "来访"), ("王芳", "", "看房")]);
    assert_eq!(found(&s, "S"), ["Smith"], "the S of Smith, not the s inside Adams");
    assert_eq!(found(&s, "sm"), ["Smith"]);
    assert_eq!(found(&s, "1"), ["Adams", "Smith"]);
    assert_eq!(found(&s, "13"), ["Smith"]);
    assert_eq!(found(&s, "a"), ["Adams"]);
    assert!(found(&s, "q").is_empty());
}

#[test]
fn f10_a_database_indexed_before_the_fold_is_indexed_again_on_open() {
    let (_d, path) = temp_db();
    {
        let mut s = store_with(Some(&path), &[]);
        s.insert(1, &ctx(), &visitor::REGISTER, &visitor("José", "13800000000", "看房，咨询")).unwrap();
        // as a database of schema 7 left it: indexes of the old kind, without the fold,
        // and no repair slips (0009) yet: they are indexed once every migration has run
        s.conn()
            .execute_batch(
                "DROP TABLE repair; DROP TABLE repair_tri; DROP TABLE repair_gram;
                 DROP TABLE visitor_tri; DROP TABLE visitor_gram;
                 CREATE VIRTUAL TABLE visitor_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
                 CREATE VIRTUAL TABLE visitor_gram USING fts5(body, tokenize = 'unicode61', content = '', contentless_delete = 1, detail = 'none');
                 PRAGMA user_version = 7;",
            )
            .unwrap();
        assert!(found(&s, "jose").is_empty());
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), frontdesk::store::SCHEMA_VERSION);
    for q in ["jose", "看房，咨询", "J", "+86 138 0000 0000"] {
        assert_eq!(found(&s, q), ["José"], "{q}");
    }
}

fn listed(m: &frontdesk::model::Model) -> Vec<String> {
    let v = m.desk().unwrap().view().unwrap();
    v.list.rows.iter().map(|r| r.values[2].as_text().unwrap().to_string()).collect()
}

fn at_intake(rows: &[(&str, &str, &str)]) -> frontdesk::model::Model {
    let s = store_with(None, &[("desk1", "王芳", &[frontdesk::domain::Role::Receptionist])]);
    let mut m = model(s, Lang::Zh);
    for (name, phone, purpose) in rows {
        m.store.insert(1, &ctx(), &visitor::REGISTER, &visitor(name, phone, purpose)).unwrap();
    }
    login(&mut m, "desk1", "pass123");
    m.on_key(key(KeyCode::F(3)));
    // the first tick keeps the (empty) drafts; the next is a draft interval away
    m.tick_ms(m.now_ms());
    m
}

#[test]
fn f10_the_search_box_finds_full_width_punctuation_brackets_letters_accents_phones_and_emoji() {
    let mut m = at_intake(&[
        ("王芳", "13800000000", "看房，咨询"),
        ("李四", "", "拜访总经理（预约）"),
        ("ＡＢＣ全角", "", "来访"),
        ("José", "", "来访"),
        ("小王😀", "", "来访"),
        ("张三", "13900001111", "来访"),
    ]);
    for (q, want) in [
        ("看房,咨询", "王芳"),
        ("拜访总经理（预约）", "李四"),
        ("abc", "ＡＢＣ全角"),
        ("jose", "José"),
        ("+86 138 0000 0000", "王芳"),
        ("😀", "小王😀"),
    ] {
        m.on_key(key(KeyCode::Char('/')));
        type_text(&mut m, q);
        search_settles(&mut m);
        assert_eq!(listed(&m), [want], "{q}");
        m.on_key(key(KeyCode::Esc));
    }
}

#[test]
fn f10_the_search_box_echoes_at_once_and_searches_only_the_last_query_after_a_pause() {
    let mut m = at_intake(&[("王芳", "", "来访"), ("李四", "", "来访"), ("Smith", "", "来访")]);
    assert_eq!(listed(&m).len(), 3);
    m.on_key(key(KeyCode::Char('/')));
    type_text(&mut m, "王");
    assert_eq!(m.desk().unwrap().view().unwrap().list.query(), "王", "the key is in the box at once");
    assert_eq!(listed(&m).len(), 3, "not searched yet: the next key may supersede it");
    m.on_key(key(KeyCode::Backspace));
    type_text(&mut m, "S");
    let due = m.due_in_ms(m.now_ms());
    assert!(due > 0 && due <= frontdesk::model::SEARCH_WAIT_MS, "the loop wakes for the search: {due}");
    m.tick_ms(m.now_ms() + frontdesk::model::SEARCH_WAIT_MS - 1);
    assert_eq!(listed(&m).len(), 3, "still waiting");
    search_settles(&mut m);
    assert_eq!(listed(&m), ["Smith"], "a one-letter search, the last typed; 王 was never run");
    // Enter leaves the box with what was typed searched, without the wait
    m.on_key(key(KeyCode::Backspace));
    type_text(&mut m, "李");
    m.on_key(key(KeyCode::Enter));
    assert_eq!(listed(&m), ["李四"]);
}

#[test]
fn f10_a_short_and_a_long_term_together_find_exactly_the_entries_holding_both_page_by_page() {
    let mut s = store_with(None, &[]);
    let mut want = Vec::new();
    for i in 0..600i64 {
        let name = if i % 3 == 0 { format!("王{i}") } else { format!("李{i}") };
        let phone = if i % 7 == 0 { format!("1391234{:04}", 5678) } else { format!("1380000{:04}", i) };
        let (id, _) = s.insert(1, &ctx(), &visitor::REGISTER, &visitor(&name, &phone, "来访")).unwrap();
        if i % 3 == 0 && i % 7 == 0 {
            want.push(id);
        }
    }
    want.reverse();
    let all = s.search_ids(&visitor::REGISTER, "王 5678", None, 10_000).unwrap();
    assert_eq!(all, want, "every entry with both, newest first, none without");
    // a page at a time from a cursor gives the same
    let mut paged = Vec::new();
    let mut cursor = None;
    loop {
        let page = s.search_ids(&visitor::REGISTER, "王 5678", cursor, 4).unwrap();
        if page.is_empty() {
            break;
        }
        cursor = page.last().copied();
        paged.extend(page);
    }
    assert_eq!(paged, want);
}
