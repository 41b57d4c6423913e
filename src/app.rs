//! The terminal loop: event -> model -> draw. The terminal is always given back: on
//! return, on error, and on panic.

use std::io::{Write, stdout};
use std::time::Duration;

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use crossterm::execute;

use crate::model::Model;
use crate::ui;

fn restore() {
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub fn run(model: &mut Model) -> std::io::Result<()> {
    // ratatui::init installs a panic hook that restores the terminal; ours also turns
    // bracketed paste off before the default hook prints the message.
    let mut terminal = ratatui::init();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
    let _ = execute!(stdout(), EnableBracketedPaste);
    let size = terminal.size()?;
    model.resize(size.width, size.height);
    // A write from the keyboard waits a moment for another terminal's, then is queued:
    // the screen never stops taking keys while the database is held (F14).
    let _ = model.store.set_busy_timeout(crate::model::UI_WAIT);
    let result = event_loop(&mut terminal, model);
    // Nothing typed is lost on the way out.
    model.quit();
    restore();
    let _ = stdout().flush();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, model: &mut Model) -> std::io::Result<()> {
    model.tick_ms(now_ms());
    loop {
        terminal.draw(|f| ui::draw(f, model))?;
        // wake at least four times a second, and when a draft or a queued save is due
        let wait = model.due_in_ms(now_ms()).clamp(1, 250) as u64;
        if event::poll(Duration::from_millis(wait))? {
            model.clock_ms(now_ms());
            // Take everything pending before drawing again (a paste without bracketed
            // paste arrives as many keys). The terminal is polled level-triggered
            // (`use-dev-tty`), so input beyond one read is never left waiting for the
            // next key; a zero timeout would not look at what is read but not yet taken.
            loop {
                match event::read()? {
                    Event::Key(k) if k.kind == KeyEventKind::Press => model.on_key(k),
                    Event::Paste(s) => model.on_paste(&s),
                    Event::Resize(w, h) => model.resize(w, h),
                    _ => {}
                }
                if model.quit || !event::poll(Duration::from_millis(1))? {
                    break;
                }
            }
        }
        model.tick_ms(now_ms());
        if model.quit {
            return Ok(());
        }
    }
}
