//! The data page's account of the nowcast's accuracy: its latest backtest
//! in two plain sentences (the week just ended, and two weeks ahead, each
//! against the naive answer), then the whole table folded away.

use leptos::prelude::*;

use crate::{
    catalog::vocabulary::{BacktestKind, SragMeasure},
    format::date_br,
    i18n::Strings,
    indicators::BacktestScore,
    url::NOWCAST_DOC,
};

/// The backtest's headline and table; nothing before there is one.
#[component]
pub fn BacktestPanel(scores: Vec<BacktestScore>, s: &'static Strings) -> impl IntoView {
    let vintage = scores.first()?.vintage;
    let n = s.numbers;
    let find = |kind, step| {
        scores
            .iter()
            .find(|r| r.measure == SragMeasure::Srag && r.kind == kind && r.step == step)
    };
    let nowcast = find(BacktestKind::Nowcast, 0).map(|r| {
        s.backtest_nowcast
            .replace("{error}", &n.percent(r.error))
            .replace("{naive}", &n.percent(r.naive_error))
            .replace("{coverage}", &n.percent(r.coverage_90))
    });
    let outlook = find(BacktestKind::Outlook, 2).map(|r| {
        s.backtest_outlook
            .replace("{error}", &n.percent(r.error))
            .replace("{naive}", &n.percent(r.naive_error))
    });
    let basis = s.backtest_basis.replace("{date}", &date_br(vintage));
    let step = move |r: &BacktestScore| match (r.kind, r.step) {
        (BacktestKind::Nowcast, 0) => s.backtest_steps[0].to_owned(),
        (BacktestKind::Nowcast, d) => s.backtest_steps[1].replace("{n}", &d.to_string()),
        (BacktestKind::Outlook, a) => s.backtest_steps[2].replace("{n}", &a.to_string()),
    };
    let measure = move |m: SragMeasure| match m {
        SragMeasure::Srag => s.measures[0],
        SragMeasure::Covid => s.measures[1],
        SragMeasure::Deaths => s.measures[2],
    };
    Some(view! {
        <section class="backtest" data-backtest="" aria-labelledby="backtest-title">
            <h2 id="backtest-title">{s.backtest_title}</h2>
            {nowcast.map(|text| view! { <p data-backtest-nowcast="">{text}</p> })}
            {outlook.map(|text| view! { <p data-backtest-outlook="">{text}</p> })}
            <p class="covered">{basis} " " <a href=NOWCAST_DOC>{s.trends_method}</a></p>
            <details>
                <summary>{s.chart_table}</summary>
                <div class="table-scroll" tabindex="0">
                    <table class="data-table">
                        <thead>
                            <tr>
                                {s.backtest_columns
                                    .iter()
                                    .enumerate()
                                    .map(|(i, c)| view! { <th scope="col" class:num={i >= 2}>{*c}</th> })
                                    .collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {scores
                                .iter()
                                .map(|r| view! {
                                    <tr>
                                        <th scope="row">{measure(r.measure)}</th>
                                        <td>{step(r)}</td>
                                        <td class="num">{n.percent(r.error)}</td>
                                        <td class="num">{n.percent(r.naive_error)}</td>
                                        <td class="num">{n.percent(r.coverage_50)}</td>
                                        <td class="num">{n.percent(r.coverage_90)}</td>
                                        <td class="num">{n.number(r.cases as f64, 0)}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    })
}
