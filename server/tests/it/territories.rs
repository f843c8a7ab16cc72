//! Sales territories on the real data: a territory filters the hospitals'
//! list to its states and cities (then a state within it) and the
//! rankings to its places, an unknown one is a 400 naming the configured
//! slugs, and each territory's headline is the sum of its members as the
//! state series give them, a city listed beside its own state counted once;
//! the overview filtered by a territory lists, values and ranks only its
//! places; alert rules on a territory, a city and a state see those figures.

use std::collections::BTreeSet;

use app::{
    account::Role, backend::Backend, dashboard::MapMetric, territory_view::TerritoryHeadline,
};
use reqwest::StatusCode;
use sentinela::{
    access::issue_api_token, backend::DashboardBackend, sources, territories::Territories,
};
use serde_json::{Value, json};

use crate::{
    api::{bench_sources, ingest},
    support::app::{TestApp, spawn_with},
};

/// A territory of three whole states, the same with a city beyond them,
/// one whose city lies in its own state, and one city alone.
const TERRITORIES: &str = r#"
[[territory]]
slug = "sul"
name = "Sul"
states = ["PR", "RS", "SC"]

[[territory]]
slug = "sul-e-sampa"
name = "Sul e a capital paulista"
states = ["PR", "RS", "SC"]
cities = ["3550308"]

[[territory]]
slug = "sp"
name = "São Paulo, capital incluída"
states = ["SP"]
cities = ["3550308"]

[[territory]]
slug = "capital"
name = "A capital paulista"
cities = ["3550308"]
"#;

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

/// The hospitals' codes a list answers, every page.
async fn codes(app: &TestApp, query: &str) -> Vec<String> {
    let mut codes = Vec::new();
    for page in 1.. {
        let path = format!("/api/v1/hospitals?page_size=1000&page={page}&{query}");
        let body = json(app, &path).await;
        let rows = body["rows"].as_array().unwrap();
        codes.extend(
            rows.iter()
                .map(|row| row["cnes"].as_str().unwrap().to_owned()),
        );
        if body["next_offset"].is_null() {
            break;
        }
    }
    codes
}

/// ICU (all beds) offered and occupied on `date` summed over states' rows.
async fn state_icu(app: &TestApp, ufs: &str, date: &str) -> (i64, i64) {
    let body = json(
        app,
        &format!("/api/v1/occupancy?uf={ufs}&from={date}&to={date}&bed_class=icu&scope=all"),
    )
    .await;
    let rows = body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), ufs.split(',').count(), "{ufs} on {date}");
    rows.iter().fold((0, 0), |(offered, occupied), row| {
        (
            offered + row["offered"].as_i64().unwrap(),
            occupied + row["occupied"].as_i64().unwrap(),
        )
    })
}

#[tokio::test]
async fn territories_filter_hospitals_and_sum_their_members() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("territories.toml");
    std::fs::write(&file, TERRITORIES).unwrap();
    let app = spawn_with(|settings| {
        settings.sources = Some(bench_sources());
        settings.territories = Some(file.clone());
        settings.api_requests_per_second = 0;
    })
    .await;
    ingest(
        &app,
        &[
            "cases-states",
            "cases-cities",
            "geo-states",
            "population",
            "occupancy-snapshots",
            "municipalities",
        ],
    )
    .await;

    // An unknown territory: a 400 that lists the configured ones.
    for slug in ["oeste", "<b>x</b>"] {
        let response = app
            .get(&format!("/api/v1/hospitals?territory={slug}"))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{slug}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["parameter"], "territory");
        assert!(
            body["allowed"]
                .as_str()
                .unwrap()
                .contains("sul, sul-e-sampa, sp, capital"),
            "{body}"
        );
        assert!(!body.to_string().contains("<b>"), "{body}");
    }

    // A territory lists its states' hospitals and its city's, in the
    // list's order; a state narrows it.
    let south = codes(&app, "uf=PR,RS,SC").await;
    let capital = codes(&app, "city=3550308").await;
    assert!(
        south.len() > 100 && capital.len() > 20,
        "{} {}",
        south.len(),
        capital.len()
    );
    let territory = codes(&app, "territory=sul-e-sampa").await;
    let expected: BTreeSet<&String> = south.iter().chain(&capital).collect();
    assert_eq!(territory.iter().collect::<BTreeSet<_>>(), expected);
    assert_eq!(territory.len(), south.len() + capital.len());
    let everyone = codes(&app, "").await;
    let in_order: Vec<&String> = everyone.iter().filter(|c| expected.contains(c)).collect();
    assert_eq!(territory.iter().collect::<Vec<_>>(), in_order);
    assert_eq!(codes(&app, "territory=sul-e-sampa&uf=SP").await, capital);
    assert_eq!(codes(&app, "territory=sul").await, south);
    assert_eq!(codes(&app, "territory=capital").await, capital);

    // State series keep a territory's whole states: none for a city alone.
    let occupancy = |territory: &str| {
        let path = format!("/api/v1/occupancy?territory={territory}&bed_class=icu&scope=all");
        let app = &app;
        async move {
            let body = json(app, &path).await;
            let ufs: BTreeSet<String> = body["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|row| row["uf"].as_str().unwrap().to_owned())
                .collect();
            ufs
        }
    };
    assert_eq!(
        occupancy("sul-e-sampa").await,
        ["PR", "RS", "SC"].map(String::from).into()
    );
    assert_eq!(occupancy("capital").await, BTreeSet::new());

    // Rankings keep a territory's places, with their national ranks.
    let national = json(&app, "/api/v1/rankings?limit=27").await;
    let regional = json(&app, "/api/v1/rankings?limit=27&territory=sul").await;
    let expected: Vec<&Value> = national["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| ["PR", "RS", "SC"].contains(&row["uf"].as_str().unwrap()))
        .collect();
    assert_eq!(expected.len(), 3);
    assert_eq!(
        regional["rows"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        expected
    );
    let first = json(&app, "/api/v1/rankings?limit=1&territory=sul").await;
    assert_eq!(first["rows"].as_array().unwrap()[..], [expected[0].clone()]);

    // The headlines: sums of the members as the state series give them.
    let sources = sources::load(Some(&bench_sources())).unwrap().into();
    let territories = Territories::load(Some(&file)).unwrap();
    let backend = DashboardBackend::new(app.store.clone(), sources, territories.clone());
    let headlines = backend.territory_headlines().await.unwrap();
    let slugs: Vec<&str> = headlines
        .iter()
        .map(|h| h.territory.slug.as_str())
        .collect();
    assert_eq!(slugs, ["sul", "sul-e-sampa", "sp", "capital"]);
    let [south, south_and_capital, sao_paulo, capital] = &headlines[..] else {
        unreachable!()
    };
    alert_rules_on_places(&app, &territories, &headlines).await;
    let day = south.occupancy_date.unwrap().to_string();
    let week_before = (south.occupancy_date.unwrap() - chrono::Duration::days(7)).to_string();
    let (offered, occupied) = state_icu(&app, "PR,RS,SC", &day).await;
    let (offered_then, occupied_then) = state_icu(&app, "PR,RS,SC", &week_before).await;
    assert_eq!(south.icu_beds, Some(offered));
    let rate = occupied as f64 / offered as f64;
    assert!((south.icu_rate.unwrap() - rate).abs() < 1e-12);
    let change = (rate - occupied_then as f64 / offered_then as f64) * 100.0;
    assert!((south.icu_change_7d.unwrap() - change).abs() < 1e-9);
    // The city in its own state counts once.
    let (sp_offered, _) = state_icu(&app, "SP", &day).await;
    assert_eq!(sao_paulo.icu_beds, Some(sp_offered));
    assert!(south_and_capital.icu_beds.unwrap() > offered);
    assert_eq!(
        south_and_capital.icu_beds.unwrap(),
        offered + capital.icu_beds.unwrap()
    );

    // Cases per 100k over 7 days, from the states' series on their newest day.
    let date = south.cases_date.unwrap().to_string();
    let cases = json(
        &app,
        &format!("/api/v1/cases/states?uf=PR,RS,SC&from={date}&to={date}"),
    )
    .await;
    let rows = cases["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let week: f64 = rows
        .iter()
        .map(|r| (r["new_cases_7d"].as_f64().unwrap() * 7.0).round())
        .sum();
    let population: i64 = rows.iter().map(|r| r["population"].as_i64().unwrap()).sum();
    assert_eq!(south.population, Some(population));
    let per_100k = week / population as f64 * 100_000.0;
    assert!((south.cases_per_100k_7d.unwrap() - per_100k).abs() < 1e-9);
    // No city series that day: the territory's cases are not half-summed.
    assert_eq!(south_and_capital.cases_per_100k_7d, None);
    assert_eq!(
        sao_paulo.population,
        json(
            &app,
            &format!("/api/v1/cases/states?uf=SP&from={date}&to={date}")
        )
        .await["rows"][0]["population"]
            .as_i64()
    );

    // The overview by territory: its states listed and valued on the map,
    // the others drawn outside it, its cities ranked as the API ranks them.
    let [south, .., capital] = territories.all() else {
        unreachable!()
    };
    let overview = backend
        .overview(MapMetric::IcuCovidRate, 0, Some(south))
        .await
        .unwrap();
    let mut listed: Vec<&str> = overview.states.iter().map(|s| s.uf.as_str()).collect();
    listed.sort();
    assert_eq!(listed, ["PR", "RS", "SC"]);
    assert_eq!(overview.map.len(), 27);
    for area in &overview.map {
        let inside = listed.contains(&area.uf.as_str());
        assert_eq!(area.outside, !inside, "{}", area.uf);
        assert_eq!(area.value.is_some(), inside, "{}", area.uf);
    }
    let api = json(
        &app,
        "/api/v1/rankings?scope=city&territory=sul&min_population=0&limit=10",
    )
    .await;
    let ranked = |rows: &[app::indicators::RankingEntry]| -> Vec<String> {
        rows.iter().map(|r| r.city_ibge.clone().unwrap()).collect()
    };
    let from_api: Vec<String> = api["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["city_ibge"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(from_api.len(), 10);
    assert_eq!(ranked(&overview.cities), from_api);
    assert!(
        overview
            .cities_least
            .iter()
            .all(|c| listed.contains(&c.uf.as_str()))
    );
    let alone = backend
        .overview(MapMetric::CasesPer100k, 0, Some(capital))
        .await
        .unwrap();
    let states: Vec<&str> = alone.states.iter().map(|s| s.uf.as_str()).collect();
    assert_eq!(states, ["SP"]);
    assert_eq!(ranked(&alone.cities), ["3550308"]);
    let everyone = backend
        .overview(MapMetric::CasesPer100k, 0, None)
        .await
        .unwrap();
    assert_eq!(everyone.states.len(), 27);
    assert!(everyone.map.iter().all(|area| !area.outside));
    // A state's change of cases is told on a base of 100 cases or more,
    // and not after a week mostly without reports (then marked irregular).
    let weeks = json(
        &app,
        "/api/v1/rankings?metric=new_cases_week_per_100k&limit=27",
    )
    .await;
    let newest = chrono::NaiveDate::parse_from_str(
        weeks["rows"][0]["period_end"].as_str().unwrap(),
        "%Y-%m-%d",
    )
    .unwrap();
    let before = json(
        &app,
        &format!(
            "/api/v1/cases/states?from={}&to={}&limit=1000",
            newest - chrono::Duration::days(13),
            newest - chrono::Duration::days(7)
        ),
    )
    .await;
    let mut irregular = 0;
    for row in weeks["rows"].as_array().unwrap() {
        let uf = row["uf"].as_str().unwrap();
        let standing = everyone.states.iter().find(|s| s.uf == uf).unwrap();
        let week = standing.week.unwrap();
        assert!(
            (week.value - row["value"].as_f64().unwrap()).abs() < 1e-9,
            "{uf}"
        );
        let reported = before["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["uf"] == uf && r["new_cases"].as_i64().unwrap() > 0)
            .count();
        let silent = 7 - reported;
        assert_eq!(
            standing.irregular,
            silent >= app::state_board::SILENT_DAYS,
            "{uf}: {silent} days silent"
        );
        irregular += usize::from(standing.irregular);
        let base = row["previous_value"].as_f64().unwrap() * row["population"].as_f64().unwrap()
            / 100_000.0;
        let told = base >= app::state_board::MIN_WEEK_BASE as f64 && !standing.irregular;
        assert_eq!(
            week.previous.is_some(),
            told,
            "{uf}: {base} cases the week before"
        );
    }
    // The shared data holds such a week (a state silent most of it).
    assert!(irregular > 0);

    // The page: the territory's link marked, its states' rows only; an
    // unknown territory filters nothing.
    let page = |query: &'static str| {
        let app = &app;
        async move {
            let response = app.get(&format!("/{query}")).await;
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            response.text().await.unwrap()
        }
    };
    let html = page("?territory=sul").await;
    assert!(html.contains(r#"<tr data-uf="PR""#) && !html.contains(r#"<tr data-uf="SP""#));
    let picker = html
        .split(r#"data-filter="territory""#)
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the territory picker");
    let marked: Vec<&str> = picker
        .split("<a ")
        .filter(|link| link.contains(r#"aria-current="page""#))
        .collect();
    assert_eq!(marked.len(), 1, "{picker}");
    assert!(
        marked[0].contains(r#"href="/?territory=sul""#) && marked[0].contains(">Sul<"),
        "{picker}"
    );
    let html = page("?territory=%3Cb%3Eoeste").await;
    assert!(html.contains(r#"<tr data-uf="PR""#) && html.contains(r#"<tr data-uf="SP""#));
}

/// Alert rules on places made of others: a rule on a territory sees its
/// headline's ICU occupancy and cases per 100k (nothing when a member
/// lacks the day), one on a city its counted hospitals, one on a state its
/// cases; each firing keeps the change it saw (p.p. for a rate, percent
/// for cases). The API names each place and refuses what cannot be
/// watched, naming the field.
async fn alert_rules_on_places(
    app: &TestApp,
    territories: &Territories,
    headlines: &[TerritoryHeadline],
) {
    crate::alerts::account(&app.store, "gerente", Role::Viewer).await;
    let token = issue_api_token(&app.store, "script", "gerente")
        .await
        .unwrap()
        .token;
    let post = |kind: &str, target: &str, metric: Value| {
        let mut body = json!({
            "name": format!("{kind} {target}"),
            "target_kind": kind,
            "target": target,
            "condition": "at_least",
            "threshold": 0.0,
            "webhook_url": "https://hooks.example.com/sentinela",
        });
        for (key, value) in metric.as_object().unwrap() {
            body[key] = value.clone();
        }
        let request = app
            .client
            .post(app.url("/api/v1/alerts"))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let icu = || json!({"metric": "occupancy", "bed_class": "icu", "scope": "all"});
    let cases = || json!({"metric": "cases_per_100k_7d"});
    let created = |(status, body): (StatusCode, Value)| {
        assert_eq!(status, StatusCode::CREATED, "{body}");
        (
            body["rule"]["id"].as_str().unwrap().to_owned(),
            body["rule"]["place"].as_str().unwrap().to_owned(),
        )
    };
    let (south_icu, place) = created(post("territory", "sul", icu()).await);
    assert_eq!(place, "Sul");
    let (south_cases, _) = created(post("territory", "sul", cases()).await);
    let (half_summed, _) = created(post("territory", "sul-e-sampa", cases()).await);
    let (city_icu, place) = created(post("city", "3550308", icu()).await);
    assert!(
        place.starts_with("São Paulo") && place.ends_with("(SP)"),
        "{place}"
    );
    let (state_cases, place) = created(post("state", "SP", cases()).await);
    assert_eq!(place, "São Paulo");
    for (kind, target, metric, field) in [
        ("city", "9999999", cases(), "target"),
        ("city", "3550309", cases(), "target"),
        ("territory", "oeste", cases(), "target"),
        ("hospital", "2081288", cases(), "metric"),
        ("city", "3550308", json!({"metric": "srag_trend"}), "metric"),
    ] {
        let (status, body) = post(kind, target, metric).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{kind} {target}: {body}");
        assert_eq!(body["parameter"], field, "{kind} {target}: {body}");
    }

    sentinela::alerts::evaluate(&app.store, territories, chrono::Utc::now())
        .await
        .unwrap();
    let seen = |id: String| {
        let store = app.store.clone();
        async move {
            let firings = store.alert_firings(&id).await.unwrap();
            assert!(firings.len() <= 1, "{firings:?}");
            firings.into_iter().next().map(|f| f.seen)
        }
    };
    let [south, _, sao_paulo, capital] = headlines else {
        unreachable!()
    };
    let close = |a: Option<f64>, b: Option<f64>| {
        assert!(a.is_some() && b.is_some(), "{a:?} {b:?}");
        assert!((a.unwrap() - b.unwrap()).abs() < 1e-9, "{a:?} {b:?}");
    };
    let icu_seen = seen(south_icu)
        .await
        .expect("the territory's ICU rule fires");
    close(icu_seen.value, south.icu_rate);
    close(icu_seen.change_pp, south.icu_change_7d);
    assert_eq!(icu_seen.change_pct, None);
    let cases_seen = seen(south_cases.clone())
        .await
        .expect("the territory's cases rule fires");
    close(cases_seen.value, south.cases_per_100k_7d);
    // Its change: on the same sum over the 7 days before.
    let date = south.cases_date.unwrap() - chrono::Duration::days(7);
    let rows = json(
        app,
        &format!("/api/v1/cases/states?uf=PR,RS,SC&from={date}&to={date}"),
    )
    .await;
    let rows = rows["rows"].as_array().unwrap();
    let week: f64 = rows
        .iter()
        .map(|r| (r["new_cases_7d"].as_f64().unwrap() * 7.0).round())
        .sum();
    let population: i64 = rows.iter().map(|r| r["population"].as_i64().unwrap()).sum();
    let before = week / population as f64 * 100_000.0;
    let now = south.cases_per_100k_7d.unwrap();
    close(cases_seen.change_pct, Some((now - before) / before * 100.0));
    assert_eq!(cases_seen.change_pp, None);
    assert_eq!(seen(half_summed).await, None, "a member lacks the day");
    // The e-mails' charts read the same figures, day by day: their last
    // day is what the rule saw.
    let last_charted = |id: &str, date: chrono::NaiveDate| {
        let (store, id) = (app.store.clone(), id.to_owned());
        async move {
            let rule = store.alert_rule(&id).await.unwrap().unwrap();
            let points = sentinela::alerts::chart::series(&store, territories, &rule, date)
                .await
                .unwrap();
            assert!(points.windows(2).all(|w| w[0].0 < w[1].0), "{points:?}");
            let png = sentinela::alerts::chart::png(&store, territories, &rule, date)
                .await
                .unwrap()
                .expect("a chart");
            assert!(png.starts_with(b"\x89PNG"), "a PNG");
            points.last().copied()
        }
    };
    let (_, charted) = last_charted(&south_cases, south.cases_date.unwrap())
        .await
        .unwrap();
    close(Some(charted), south.cases_per_100k_7d);
    let (day, charted) = last_charted(&city_icu, capital.occupancy_date.unwrap())
        .await
        .unwrap();
    assert_eq!(Some(day), capital.occupancy_date);
    close(Some(charted), capital.icu_rate);
    close(seen(city_icu).await.unwrap().value, capital.icu_rate);
    close(
        seen(state_cases).await.unwrap().value,
        sao_paulo.cases_per_100k_7d,
    );
}
