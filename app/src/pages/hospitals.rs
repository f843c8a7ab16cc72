//! The hospitals' list (`/hospitais`): every hospital of the occupancy data
//! on the newest day, filtered by state, minimum beds and bed class, sorted
//! by pressure, change or size and paged on the server, all in the URL; the
//! same page as the API's CSV (the sales team's visit list). Stale
//! hospitals stay on the list, marked. Also the state page's top ten.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::{
    backend::unavailable,
    catalog::{
        territory::Territory,
        vocabulary::{BedClass, BedStatus, HospitalSort, Uf},
    },
    format::date_br,
    hospital_view::{HospitalAsk, HospitalList, HospitalRow},
    i18n::{Lang, Strings},
    page_error::PageError,
    url::query_with,
};

/// The list for the URL's `query`.
pub async fn html(query: &ParamsMap) -> Result<String, PageError> {
    let lang = Lang::from_query(query.get_str("lang"));
    let s = lang.strings();
    let ask = HospitalAsk::from_query(query);
    let backend = crate::backend::current()?;
    let list = backend.hospitals(&ask).await.map_err(unavailable)?;
    let territories = backend.territories().to_vec();
    // The city filter's name: its hospitals', or its code without any.
    let city = ask.city.clone().map(|code| {
        let name = list
            .rows
            .first()
            .map_or_else(|| code.clone(), |row| row.day.city.clone());
        let without = format!(
            "/hospitais{}",
            query_with(query, &[("city", None), ("pagina", None)])
        );
        (code, name, without)
    });
    // The Brazilian Excel's dialect for a reader in Portuguese.
    let dialect = match lang {
        Lang::Pt => "&dialect=excel-br",
        Lang::En => "",
    };
    let csv = format!("/api/v1/hospitals?{}&format=csv{dialect}", ask.api_query());
    let pages = pager(ask.page, list.more, s, query);
    Ok(view! {
        <h1>{s.hospitals_title}</h1>
        <p class="covered">{s.hospitals_intro}</p>
        <Filters ask=ask.clone() territories city s lang />
        <p>
            <a class="csv-link" href=csv download=format!("sentinela_hospitais_{}.csv", ask.page)>
                {s.visit_list_csv}
            </a>
        </p>
        <HospitalTable list ask s query=query.clone() />
        {pages}
    }
    .to_html())
}

/// The state page's "under most pressure" section: its ten hospitals of
/// highest ICU occupancy, and a link to its whole list.
pub async fn top_ten(
    uf: Uf,
    territory: Option<&Territory>,
    query: &ParamsMap,
) -> Result<String, PageError> {
    let s = Lang::from_query(query.get_str("lang")).strings();
    let slug = territory.map(|t| t.slug.as_str());
    let ask = HospitalAsk {
        territory: slug.map(str::to_owned),
        ..HospitalAsk::top_ten(uf)
    };
    let list = crate::backend::current()?
        .hospitals(&ask)
        .await
        .map_err(unavailable)?;
    let kept = hospital_query(query);
    let all = format!(
        "/hospitais{}",
        query_with(&kept, &[("territory", slug), ("uf", Some(uf.code()))])
    );
    Ok(view! {
        <section class="ranking top-hospitals">
            <h2>{s.top_pressure}</h2>
            <HospitalTable list ask s query=kept />
            <p><a href=all>{format!("{} {}", s.all_hospitals_of, uf.name())}</a></p>
        </section>
    }
    .to_html())
}

/// What links from another page keep: the language, not that page's own
/// filters.
pub(crate) fn hospital_query(query: &ParamsMap) -> ParamsMap {
    query
        .latest_values()
        .filter(|(key, _)| key.as_ref() == "lang")
        .map(|(key, value)| (key.clone(), value.to_owned()))
        .collect()
}

/// The filters as a GET form: a change loads the list's first page.
#[component]
fn Filters(
    ask: HospitalAsk,
    territories: Vec<Territory>,
    /// The city filter: its code, name and the list without it.
    city: Option<(String, String, String)>,
    s: &'static Strings,
    lang: Lang,
) -> impl IntoView {
    let option =
        |value: &str, text: &str, chosen: bool| (value.to_owned(), text.to_owned(), chosen);
    let chosen_territory = ask.territory.as_deref();
    let known = territories
        .iter()
        .any(|t| Some(t.slug.as_str()) == chosen_territory);
    let territories: Vec<_> = std::iter::once(option("", s.all_territories, !known))
        .chain(
            territories
                .iter()
                .map(|t| option(&t.slug, &t.name, Some(t.slug.as_str()) == chosen_territory)),
        )
        .collect();
    let states = std::iter::once(option("", s.all_states, ask.uf.is_none()))
        .chain(Uf::all().map(|uf| option(uf.code(), uf.code(), ask.uf == Some(uf))))
        .collect();
    let classes = [(BedClass::Icu, s.icu), (BedClass::Clinical, s.clinical)]
        .into_iter()
        .map(|(class, label)| option(class.code(), label, ask.bed_class == class))
        .collect();
    let sorts = [
        (HospitalSort::Pressure, s.sort_pressure),
        (HospitalSort::Change, s.sort_change),
        (HospitalSort::Size, s.sort_size),
    ]
    .into_iter()
    .map(|(sort, label)| option(sort.code(), label, ask.sort == sort))
    .collect();
    view! {
        <form class="period hospital-filters" method="get">
            {(lang == Lang::En).then(|| view! { <input type="hidden" name="lang" value="en" /> })}
            {(territories.len() > 1).then(|| choice("territory", s.territory_word, territories))}
            {choice("uf", s.uf_word, states)}
            {city.map(|(code, name, without)| view! {
                <input type="hidden" name="city" value=code />
                <span class="chosen-city">
                    {format!("{}: {name} ", s.city_word)}
                    <a href=without>{s.remove_filter}</a>
                </span>
            })}
            <label>
                {s.min_beds} " "
                <input type="number" name="min_beds" min="0" max="100000" inputmode="numeric"
                    value=(ask.min_beds > 0).then(|| ask.min_beds.to_string()) />
            </label>
            {choice("bed_class", s.bed_class, classes)}
            {choice("ordem", s.sort_by, sorts)}
            <button type="submit">{s.apply}</button>
        </form>
    }
}

/// A labelled drop-down of `options` (value, text, whether chosen).
fn choice(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String, bool)>,
) -> impl IntoView {
    view! {
        <label>
            {label} " "
            <select name=name>
                {options
                    .into_iter()
                    .map(|(value, text, chosen)| view! { <option value=value selected=chosen>{text}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The hospitals of one page: the bed class asked (beds, occupancy, its
/// change), the other class's occupancy, the last report.
#[component]
fn HospitalTable(
    list: HospitalList,
    ask: HospitalAsk,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    if list.rows.is_empty() {
        return view! { <p class="notice" role="status">{s.hospitals_none}</p> }.into_any();
    }
    let n = s.numbers;
    let (sort, bed_class) = (ask.sort, ask.bed_class);
    let (beds, rate, other) = match bed_class {
        BedClass::Icu => (s.icu_beds, s.icu_occupancy, s.clinical_occupancy),
        BedClass::Clinical => (s.clinical_beds, s.clinical_occupancy, s.icu_occupancy),
    };
    let kept = query_with(&hospital_query(&query), &[]);
    let sorted = move |by: HospitalSort| (sort == by).then_some("descending");
    let percent = move |rate: Option<f64>| rate.map_or_else(|| "—".to_owned(), |r| n.percent(r));
    view! {
        <p class="covered">{list.date.map(|d| format!("{} {}", s.data_as_of, date_br(d)))}</p>
        <div class="table-scroll" tabindex="0">
            <table class="data-table hospitals">
                <thead>
                    <tr>
                        <th scope="col">{s.hospital_word}</th>
                        <th scope="col" class="wide-only">{s.city_word}</th>
                        <th scope="col" class="wide-only">{s.uf_word}</th>
                        <th scope="col" class="num wide-only" aria-sort=sorted(HospitalSort::Size)>{beds}</th>
                        <th scope="col" class="num" aria-sort=sorted(HospitalSort::Pressure)>{rate}</th>
                        <th scope="col" class="num" aria-sort=sorted(HospitalSort::Change)>{s.change_7d}</th>
                        <th scope="col" class="wide-only">{s.trend_28d}</th>
                        <th scope="col" class="num wide-only">{other}</th>
                        <th scope="col" class="wide-only">{s.last_report}</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .rows
                        .into_iter()
                        .map(|HospitalRow { day, summary, trend }| {
                            let other_rate = summary.as_ref().and_then(|h| match bed_class {
                                BedClass::Icu => h.clinical_rate,
                                BedClass::Clinical => h.icu_rate,
                            });
                            let name = if day.name.trim().is_empty() { day.cnes.clone() } else { day.name.clone() };
                            let stale = (day.status == BedStatus::Stale).then(|| view! {
                                " "
                                <span class="badge badge-pending" title=format!("{} {}", day.days_since_report, s.stale_days)>
                                    {s.stale_badge}
                                </span>
                            });
                            view! {
                                <tr data-cnes=day.cnes.clone() data-status=day.status.code()>
                                    <th scope="row">
                                        <a href=format!("/hospital/{}{kept}", day.cnes)>{name}</a>
                                        {stale}
                                    </th>
                                    <td class="wide-only">{day.city}</td>
                                    <td class="wide-only">{day.uf}</td>
                                    <td class="num wide-only">{day.offered.map_or_else(|| "—".to_owned(), |b| n.number(b as f64, 0))}</td>
                                    <td class="num">{percent(day.rate)}</td>
                                    <td class="num">{day.change_7d.map_or_else(|| "—".to_owned(), |p| n.points(p))}</td>
                                    <td class="wide-only">{trend_line(&trend)}</td>
                                    <td class="num wide-only">{percent(other_rate)}</td>
                                    <td class="wide-only">{date_br(day.last_report)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A row's trend: the rate on a fixed 0–100 % scale, one point a day,
/// broken where a day was not counted; nothing without a counted day.
fn trend_line(trend: &[Option<f64>]) -> Option<impl IntoView + use<>> {
    let mut path = String::new();
    let mut drawing = false;
    for (day, rate) in trend.iter().enumerate() {
        match rate {
            Some(rate) => {
                let (x, y) = (day * 2, 16.0 - rate.clamp(0.0, 1.0) * 16.0);
                let pen = if drawing { 'L' } else { 'M' };
                path.push_str(&format!("{pen}{x} {y:.1}"));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    let width = (trend.len().max(1) - 1) * 2;
    (!path.is_empty()).then(|| view! {
        <svg class="trend-line" viewBox=format!("0 0 {width} 16") width=width height="16" aria-hidden="true">
            <path d=path />
        </svg>
    })
}

/// Links to the previous and next pages, the filters kept.
fn pager(page: u64, more: bool, s: &'static Strings, query: &ParamsMap) -> impl IntoView {
    let to = |page: u64| {
        let page = page.to_string();
        format!(
            "/hospitais{}",
            query_with(query, &[("pagina", Some(&page))])
        )
    };
    let previous =
        (page > 1).then(|| view! { <a href=to(page - 1) rel="prev">{s.previous_page}</a> });
    let next = more.then(|| view! { <a href=to(page + 1) rel="next">{s.next_page}</a> });
    view! {
        <nav class="pager" aria-label=s.page_word>
            {previous}
            <span>{format!("{} {}", s.page_word, page)}</span>
            {next}
        </nav>
    }
}
