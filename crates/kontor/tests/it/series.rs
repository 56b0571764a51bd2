//! Number series: gapless and unique under concurrency, on the real database.

use chrono::NaiveDate;
use kontor::common::series::{self, SeriesFormat};
use sea_orm::TransactionTrait;

use crate::{helpers::*, on_both};

on_both!(
    concurrent_documents_get_numbers_without_gaps_or_twins,
    a_rolled_back_number_is_handed_out_again_and_years_restart
);

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

async fn concurrent_documents_get_numbers_without_gaps_or_twins(app: TestApp) {
    let format = SeriesFormat::parse("RE-{YYYY}-{N:4}", true).unwrap();
    series::ensure(&app.state.db, "invoice", &format, app.state.clock.now())
        .await
        .unwrap();
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let db = app.state.db.clone();
            let now = app.state.clock.now();
            tokio::spawn(async move {
                let txn = db.begin().await.expect("begin");
                let taken = series::next(&txn, "invoice", date(2026, 11, 27), now)
                    .await
                    .expect("next");
                txn.commit().await.expect("commit");
                taken
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    assert_eq!(
        numbers.iter().map(|n| n.0).collect::<Vec<_>>(),
        (1..=200).collect::<Vec<_>>()
    );
    assert_eq!(numbers[0].1, "RE-2026-0001");
    assert_eq!(numbers[199].1, "RE-2026-0200");
}

async fn a_rolled_back_number_is_handed_out_again_and_years_restart(app: TestApp) {
    let db = &app.state.db;
    let format = SeriesFormat::parse("GS-{YY}-{N}", true).unwrap();
    series::ensure(db, "credit_note", &format, app.state.clock.now())
        .await
        .unwrap();
    series::ensure(
        db,
        "credit_note",
        &SeriesFormat::parse("X{N}", false).unwrap(),
        app.state.clock.now(),
    )
    .await
    .unwrap();
    let txn = db.begin().await.unwrap();
    assert_eq!(
        series::next(&txn, "credit_note", date(2026, 1, 2), app.state.clock.now())
            .await
            .unwrap(),
        (1, "GS-26-1".to_string())
    );
    txn.rollback().await.unwrap();
    assert_eq!(
        series::next(db, "credit_note", date(2026, 5, 1), app.state.clock.now())
            .await
            .unwrap(),
        (1, "GS-26-1".to_string()),
        "the rolled-back number comes again; the first format stays"
    );
    assert_eq!(
        series::next(db, "credit_note", date(2026, 12, 31), app.state.clock.now())
            .await
            .unwrap()
            .0,
        2
    );
    assert_eq!(
        series::next(db, "credit_note", date(2027, 1, 1), app.state.clock.now())
            .await
            .unwrap(),
        (1, "GS-27-1".to_string())
    );
    assert!(
        series::next(db, "unknown", date(2027, 1, 1), app.state.clock.now())
            .await
            .is_err()
    );
}
