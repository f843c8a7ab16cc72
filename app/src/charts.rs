//! The state page's charts, drawn on the server with `plotters` as SVG:
//! daily new cases and deaths with their 7-day mean, occupancy rates per
//! bed class and scope, weekly SRAG hospitalisations split into confirmed
//! and suspected, and, from the occupancy register, suspected and
//! confirmed patients in beds and the deaths among their exits; a
//! hospital's occupancy rates and beds offered. Colours are
//! Okabe–Ito (told apart with colour-blindness), axes in the page's
//! language and Brazilian formats. Over the plot lies one tooltip layer,
//! not an element per day: the page's script (`tooltips.js`) finds the day
//! under the pointer from the days' positions and shows its row of the
//! chart's table.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use plotters::{
    coord::{Shift, types::RangedCoordf64},
    element::DashedPathElement,
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

use crate::{
    catalog::{
        domain::{complete_weeks, epi_week_start},
        vocabulary::{BedClass, Scope},
    },
    format::{Numbers, date_br},
    i18n::Lang,
    indicators::{CasesDay, HospitalOccupancy, OccupancyDay, PatientsDay},
    state_view::{BedFilter, Chart, StateSeries},
};

/// The drawing's size: about the width a chart takes on a wide screen
/// (two per row). Its 16-pixel text is written by `plotters` as 12.9
/// units, read at about 13 pixels there; on a narrow phone the chart is
/// drawn at 0.64 of its size and the stylesheet sets the text larger, so
/// it reads at 11 pixels or more (tested at 360 px).
const SIZE: (u32, u32) = (460, 300);
/// Okabe–Ito: blue, vermillion, bluish green, reddish purple.
const COLOURS: [RGBColor; 4] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
];

/// One column of a chart's table, and how it is drawn.
pub(crate) struct Line {
    pub label: String,
    pub points: Vec<(NaiveDate, f64)>,
    pub mark: Mark,
    /// Its colour, one of [`COLOURS`] (by default the line's position).
    pub colour: Option<usize>,
}

/// How a column is drawn.
#[derive(Clone, Copy)]
pub(crate) enum Mark {
    /// A line this many pixels wide: thin for raw daily values, thick for
    /// what the eye should follow.
    Solid(u32),
    /// A dashed line (what is forecast), starting from the last point of
    /// the line at `joins` when there is one, so it continues it.
    Dashed { joins: Option<usize> },
    /// Bars from zero, one per week, centred on their date.
    Bars,
    /// Not drawn by itself: a bound of a [`Band`].
    Bound,
}

/// A shaded interval between two bound columns (by position).
pub(crate) struct Band {
    pub label: String,
    pub low: usize,
    pub high: usize,
    pub colour: usize,
    pub opacity: f64,
}

/// A span of the x axis set apart, named at its top (e.g. the weeks still
/// being reported).
pub(crate) struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub label: String,
}

/// What a chart draws: its columns, the bands between some of them and a
/// span set apart.
#[derive(Default)]
pub(crate) struct Figure {
    pub lines: Vec<Line>,
    pub bands: Vec<Band>,
    pub span: Option<Span>,
    /// Where the legend goes: the upper left corner unless said.
    pub legend: Option<SeriesLabelPosition>,
}

impl Line {
    /// A solid line in the colour of its position.
    fn solid(label: &str, points: Vec<(NaiveDate, f64)>, width: u32) -> Self {
        Line {
            label: label.to_owned(),
            points,
            mark: Mark::Solid(width),
            colour: None,
        }
    }
}

/// Daily new cases and deaths with their 7-day mean, of one place's `days`;
/// with `per_100k`, per 100,000 inhabitants (when the population is known).
pub fn case_charts(days: &[&CasesDay], lang: Lang, per_100k: bool) -> Vec<Chart> {
    let s = lang.strings();
    let mut charts = Vec::new();
    let scale = |d: &CasesDay| match (per_100k, d.population) {
        (true, Some(people)) if people > 0 => 100_000.0 / people as f64,
        _ => 1.0,
    };
    for (id, title, new, mean) in [
        ("cases", s.chart_cases, s.chart_new_cases, s.chart_mean_7d),
        (
            "deaths",
            s.chart_deaths,
            s.chart_new_deaths,
            s.chart_mean_7d,
        ),
    ] {
        let pick = |d: &&CasesDay| {
            let (new, mean) = match id {
                "cases" => (d.new_cases as f64, d.new_cases_7d),
                _ => (d.new_deaths as f64, d.new_deaths_7d),
            };
            (new * scale(d), mean * scale(d))
        };
        let title = if per_100k {
            format!("{title} {}", s.per_100k_suffix)
        } else {
            title.to_owned()
        };
        let lines = vec![
            Line::solid(new, days.iter().map(|d| (d.date, pick(d).0)).collect(), 1),
            Line::solid(mean, days.iter().map(|d| (d.date, pick(d).1)).collect(), 3),
        ];
        let corrections: Vec<f64> = days
            .iter()
            .map(|d| pick(d).0.min(pick(d).1))
            .filter(|v| *v < 0.0)
            .collect();
        let mut chart = chart(id, &title, lines, false, s.numbers);
        if let Some(lowest) = corrections.iter().copied().reduce(f64::min) {
            let [before, after] = s.corrections_note;
            chart.note = Some(format!(
                "{} {before} {}{after}",
                corrections.len(),
                s.numbers.number(lowest, if per_100k { 2 } else { 0 })
            ));
        }
        charts.push(chart);
    }

    charts
}

/// Every chart of a state's page; with `per_100k`, cases and deaths per
/// 100,000 inhabitants (when the population is known).
pub fn state_charts(
    uf: &str,
    series: &StateSeries,
    lang: Lang,
    per_100k: bool,
    beds: BedFilter,
) -> Vec<Chart> {
    let s = lang.strings();
    let days: Vec<_> = series.cases.iter().filter(|d| d.uf == uf).collect();
    let mut charts = case_charts(&days, lang, per_100k);
    charts.push(occupancy_chart(&series.occupancy, lang, beds));

    // SRAG by epidemiological week (Sunday to Saturday, as the Ministry
    // and InfoGripe count): daily counts are too sparse to read.
    let mut weeks: BTreeMap<NaiveDate, (f64, f64)> = BTreeMap::new();
    for day in &series.srag {
        let week = weeks.entry(epi_week_start(day.from)).or_default();
        week.0 += day.confirmed as f64;
        week.1 += day.suspected as f64;
    }
    let srag = vec![
        Line::solid(
            s.chart_confirmed,
            weeks.iter().map(|(d, w)| (*d, w.0)).collect(),
            3,
        ),
        Line::solid(
            s.chart_suspected,
            weeks.iter().map(|(d, w)| (*d, w.1)).collect(),
            3,
        ),
    ];
    // The weeks still filling in, as the headline rates leave them out.
    let span = series.srag_newest.and_then(|newest| {
        let settled = complete_weeks(newest, 1).1;
        let mut arriving = weeks.keys().filter(|week| **week > settled);
        let from = *arriving.next()?;
        Some(Span {
            from,
            to: arriving.next_back().copied().unwrap_or(from),
            label: s.srag_arriving.to_owned(),
        })
    });
    let figure = Figure {
        lines: srag,
        span,
        ..Figure::default()
    };
    charts.push(figure_chart("srag", s.chart_srag, figure, false, s.numbers));
    if !series.patients.is_empty() {
        charts.extend(register_charts(&series.patients, lang));
    }
    charts
}

/// Occupancy rates of the bed types `beds` shows, noted with the hospitals
/// behind each on the last day (counted, stale: not counted, and over
/// capacity: counted at their beds).
fn occupancy_chart(occupancy: &[OccupancyDay], lang: Lang, beds: BedFilter) -> Chart {
    let s = lang.strings();
    let mut lines: Vec<Line> = Vec::new();
    let mut coverage = Vec::new();
    let last = occupancy.iter().map(|o| o.date).max();
    for (class, scope, label) in bed_types(lang) {
        if !beds.shows(class, scope) {
            continue;
        }
        let rows: Vec<&OccupancyDay> = occupancy
            .iter()
            .filter(|o| o.bed_class == class && o.scope == scope)
            .collect();
        if let Some(day) = rows.iter().find(|o| Some(o.date) == last) {
            let mut text = format!(
                "{label}: {} {}, {} {}",
                s.numbers.number(day.hospitals as f64, 0),
                s.hospitals_reporting,
                s.numbers.number(day.stale as f64, 0),
                s.stale_hospitals
            );
            // The rate counts each hospital at most at its beds: say how
            // many report more patients than that.
            if day.over_capacity > 0 {
                text.push_str(&format!(
                    ", {} {}",
                    s.numbers.number(day.over_capacity as f64, 0),
                    s.over_capacity_hospitals
                ));
            }
            coverage.push(text);
        }
        lines.push(Line::solid(
            label,
            rows.iter().map(|o| (o.date, o.rate)).collect(),
            if scope == Scope::Covid { 3 } else { 1 },
        ));
    }
    let mut chart = chart("occupancy", s.chart_occupancy, lines, true, s.numbers);
    chart.note = last
        .filter(|_| !coverage.is_empty())
        .map(|day| format!("{} — {}", date_br(day), coverage.join("; ")));
    chart
}

/// The four bed types (class × scope) as the charts name them, the lines
/// to follow (COVID/SRAG) first.
fn bed_types(lang: Lang) -> [(BedClass, Scope, &'static str); 4] {
    let s = lang.strings();
    [
        (BedClass::Icu, Scope::Covid, s.chart_icu_covid),
        (BedClass::Icu, Scope::All, s.chart_icu_all),
        (BedClass::Clinical, Scope::Covid, s.chart_clinical_covid),
        (BedClass::Clinical, Scope::All, s.chart_clinical_all),
    ]
}

/// One hospital's charts of its `days`: the occupancy rate of each bed
/// type, and the beds it offered.
pub fn hospital_charts(days: &[HospitalOccupancy], lang: Lang) -> [Chart; 2] {
    let s = lang.strings();
    let lines = |value: fn(&HospitalOccupancy) -> Option<f64>| -> Vec<Line> {
        bed_types(lang)
            .into_iter()
            .map(|(class, scope, label)| {
                let points = days
                    .iter()
                    .filter(|d| d.bed_class == class && d.scope == scope)
                    .filter_map(|d| Some((d.date, value(d)?)))
                    .collect();
                Line::solid(label, points, if scope == Scope::Covid { 3 } else { 1 })
            })
            .filter(|line| !line.points.is_empty())
            .collect()
    };
    [
        chart(
            "occupancy",
            s.chart_occupancy,
            lines(|d| d.rate),
            true,
            s.numbers,
        ),
        chart(
            "beds",
            s.hospital_beds_offered,
            lines(|d| d.offered.map(|b| b as f64)),
            false,
            s.numbers,
        ),
    ]
}

/// The occupancy register's charts: suspected and confirmed patients in
/// clinical and ICU beds as of each day, and the weekly share of deaths
/// among the exits (deaths and discharges) of each group.
fn register_charts(days: &[PatientsDay], lang: Lang) -> [Chart; 2] {
    let s = lang.strings();
    // Label, line width, count.
    type Group<'a> = (&'a str, u32, fn(&PatientsDay) -> i64);
    let groups: [Group; 4] = [
        (s.chart_confirmed_icu, 3, |d| d.confirmed_icu),
        (s.chart_suspected_icu, 3, |d| d.suspected_icu),
        (s.chart_confirmed_clinical, 1, |d| d.confirmed_clinical),
        (s.chart_suspected_clinical, 1, |d| d.suspected_clinical),
    ];
    let patients = groups
        .iter()
        .map(|(label, width, count)| {
            Line::solid(
                label,
                days.iter().map(|d| (d.date, count(d) as f64)).collect(),
                *width,
            )
        })
        .collect();

    // Deaths and exits of the confirmed, then of the suspected, per week.
    let mut weeks: BTreeMap<NaiveDate, [i64; 4]> = BTreeMap::new();
    for day in days {
        let week = weeks.entry(epi_week_start(day.date)).or_default();
        week[0] += day.deaths_confirmed;
        week[1] += day.deaths_confirmed + day.discharges_confirmed;
        week[2] += day.deaths_suspected;
        week[3] += day.deaths_suspected + day.discharges_suspected;
    }
    let rate = |deaths: i64, exits: i64| (exits > 0).then(|| deaths as f64 / exits as f64);
    let exits = [(s.chart_confirmed, 0), (s.chart_suspected, 2)]
        .into_iter()
        .map(|(label, at)| {
            Line::solid(
                label,
                weeks
                    .iter()
                    .filter_map(|(week, sums)| Some((*week, rate(sums[at], sums[at + 1])?)))
                    .collect(),
                3,
            )
        })
        .collect();
    [
        chart("patients", s.chart_patients, patients, false, s.numbers),
        chart("exit-deaths", s.chart_exit_deaths, exits, true, s.numbers),
    ]
}

/// A chart's SVG and its table (one row per date, one column per line).
fn chart(id: &str, title: &str, lines: Vec<Line>, percent: bool, numbers: Numbers) -> Chart {
    let figure = Figure {
        lines,
        ..Figure::default()
    };
    figure_chart(id, title, figure, percent, numbers)
}

/// A figure's SVG and its table (one row per date, one column per line,
/// drawn or not).
pub(crate) fn figure_chart(
    id: &str,
    title: &str,
    figure: Figure,
    percent: bool,
    numbers: Numbers,
) -> Chart {
    let table = table_of(&figure.lines);
    let svg = if table.is_empty() {
        String::new()
    } else {
        match draw(&figure, &table, percent, numbers) {
            Ok((mut svg, hover)) => {
                let end = svg.rfind("</svg>").unwrap_or(svg.len());
                svg.insert_str(end, &hover);
                svg
            }
            Err(error) => {
                leptos::logging::error!("chart {id} could not be drawn: {error}");
                String::new()
            }
        }
    };
    Chart {
        id: id.to_owned(),
        title: title.to_owned(),
        svg,
        percent,
        columns: figure.lines.into_iter().map(|l| l.label).collect(),
        rows: table.into_iter().collect(),
        note: None,
        doc: None,
        forecast_from: None,
    }
}

/// The tooltip layer over the plot, three elements whatever the number of
/// days: the x of each day of the table, in order (`data-days`), the column
/// that highlights the day under the pointer (`chart-cursor`, empty until
/// then) and the target the pointer moves over (`chart-hit`, from the first
/// day to the last, between the plot's `top` and `bottom`).
fn hover_layer(xs: &[i32], top: i32, bottom: i32) -> String {
    let left = xs.first().copied().unwrap_or_default();
    let right = xs.last().copied().unwrap_or_default();
    let days: Vec<String> = xs.iter().map(i32::to_string).collect();
    let height = (bottom - top).max(1);
    format!(
        "<g class=\"chart-hover\" data-days=\"{}\">\
         <rect class=\"chart-cursor\" x=\"{left}\" y=\"{top}\" width=\"0\" height=\"{height}\"/>\
         <rect class=\"chart-hit\" x=\"{left}\" y=\"{top}\" width=\"{}\" height=\"{height}\"/></g>",
        days.join(" "),
        (right - left).max(1),
    )
}

/// One watched figure over time, with a rule's line when it has one, as a
/// still SVG (without the tooltip layer), for an image: the alert e-mails'
/// chart. `None` without points or when it cannot be drawn.
pub fn watched_svg(
    label: &str,
    points: Vec<(NaiveDate, f64)>,
    line: Option<(&str, f64)>,
    percent: bool,
    numbers: Numbers,
) -> Option<String> {
    let (first, last) = (points.first()?.0, points.last()?.0);
    // The legend where the line is not: below it when the line runs high.
    let top = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let ceiling = if percent { top.max(1.0) } else { top * 1.1 };
    let mean = points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64;
    let legend = (mean > ceiling / 2.0).then_some(SeriesLabelPosition::LowerLeft);
    let mut lines = vec![Line::solid(label, points, 3)];
    if let Some((name, value)) = line {
        lines.push(Line {
            label: name.to_owned(),
            points: vec![(first, value), (last, value)],
            mark: Mark::Dashed { joins: None },
            colour: Some(1),
        });
    }
    let figure = Figure {
        lines,
        legend,
        ..Figure::default()
    };
    let table = table_of(&figure.lines);
    draw(&figure, &table, percent, numbers)
        .ok()
        .map(|(svg, _)| svg)
}

/// The lines' values by date, one column per line.
fn table_of(lines: &[Line]) -> BTreeMap<NaiveDate, Vec<Option<f64>>> {
    let mut table: BTreeMap<NaiveDate, Vec<Option<f64>>> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        for (date, value) in &line.points {
            table
                .entry(*date)
                .or_insert_with(|| vec![None; lines.len()])[i] = Some(*value);
        }
    }
    table
}

/// The figure's SVG, and apart its tooltip layer for the page.
fn draw(
    figure: &Figure,
    table: &BTreeMap<NaiveDate, Vec<Option<f64>>>,
    percent: bool,
    numbers: Numbers,
) -> Result<(String, String), Box<dyn std::error::Error>> {
    let lines = &figure.lines;
    let first = *table.keys().next().ok_or("no dates")?;
    let last = (*table.keys().next_back().ok_or("no dates")?).max(first + Duration::days(1));
    // Bars are a week wide, centred on their date: room for half of one.
    let bars = lines.iter().any(|l| matches!(l.mark, Mark::Bars));
    let pad = Duration::days(if bars { 4 } else { 0 });
    let values = || lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
    let top = values().fold(0.0_f64, f64::max);
    let top = if percent {
        top.max(1.0)
    } else {
        (top * 1.1).max(1.0)
    };
    // A count's corrections (negative days) are drawn at zero, never below:
    // the axis starts at zero, and the chart's note tells them.
    let bottom = 0.0;

    let mut svg = String::new();
    let hover;
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        // Labels of a small range need decimals, or they repeat (0, 0, 1).
        let decimals = match top - bottom {
            range if range < 5.0 => 2,
            range if range < 50.0 => 1,
            _ => 0,
        };
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            // Room above the plot for the span's name.
            .margin_top(if figure.span.is_some() { 30 } else { 12 })
            // Room for the last date label, centred on the right edge.
            .margin_right(30)
            .x_label_area_size(30)
            .y_label_area_size(62)
            .build_cartesian_2d((first - pad)..(last + pad), bottom..top)?;
        chart
            .configure_mesh()
            .x_labels(5)
            .y_labels(5)
            .x_label_formatter(&|d| d.format("%d/%m/%y").to_string())
            .y_label_formatter(&|v| match percent {
                true => numbers.percent(*v),
                false => numbers.number(*v, decimals),
            })
            // Grid lines at the labels only: the finer ones cost a phone
            // about fifty elements per chart to lay out.
            .max_light_lines(0)
            .bold_line_style(RGBColor(210, 216, 220))
            .axis_style(RGBColor(120, 130, 138))
            .label_style(("sans-serif", 16))
            .draw()?;
        if let Some(span) = &figure.span {
            draw_span(&root, &mut chart, span, (bottom, top))?;
        }
        for band in &figure.bands {
            let colour = COLOURS[band.colour].mix(band.opacity);
            let (low, high) = (&lines[band.low].points, &lines[band.high].points);
            let outline: Vec<_> = low
                .iter()
                .chain(high.iter().rev())
                .map(|&(day, value)| (day, value.max(0.0)))
                .collect();
            let drawn =
                chart.draw_series(std::iter::once(Polygon::new(outline, colour.filled())))?;
            if !band.label.is_empty() {
                drawn.label(band.label.clone()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 18, y + 6)], colour.filled())
                });
            }
        }
        for (i, line) in lines.iter().enumerate() {
            let colour = COLOURS[line.colour.unwrap_or(i) % COLOURS.len()];
            let points = line
                .points
                .iter()
                .map(|&(day, value)| (day, value.max(0.0)));
            let drawn = match line.mark {
                Mark::Bound => continue,
                Mark::Solid(width) => {
                    let style = colour.stroke_width(width);
                    chart
                        .draw_series(LineSeries::new(points, style))?
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style))
                }
                Mark::Dashed { joins } => {
                    let style = colour.stroke_width(3);
                    let start = joins.and_then(|j| lines[j].points.last().copied());
                    let points: Vec<_> = start.into_iter().chain(points).collect();
                    chart
                        .draw_series(DashedLineSeries::new(points, 8, 5, style))?
                        .legend(move |(x, y)| {
                            DashedPathElement::new(vec![(x, y), (x + 18, y)], 5, 3, style)
                        })
                }
                Mark::Bars => {
                    let fill = colour.mix(0.55).filled();
                    let half = Duration::days(3);
                    chart
                        .draw_series(points.map(|(day, value)| {
                            Rectangle::new([(day - half, 0.0), (day + half, value)], fill)
                        }))?
                        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], fill))
                }
            };
            drawn.label(line.label.clone());
        }
        chart
            .configure_series_labels()
            .position(
                figure
                    .legend
                    .clone()
                    .unwrap_or(SeriesLabelPosition::UpperLeft),
            )
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(210, 216, 220))
            .label_font(("sans-serif", 16))
            .draw()?;
        let xs: Vec<i32> = table
            .keys()
            .map(|day| chart.backend_coord(&(*day, top)).0)
            .collect();
        let (_, plot_top) = chart.backend_coord(&(first, top));
        let (_, plot_bottom) = chart.backend_coord(&(first, bottom));
        hover = hover_layer(&xs, plot_top, plot_bottom);
        root.present()?;
    }
    Ok((svg, hover))
}

type DatePlot<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedDate<NaiveDate>, RangedCoordf64>>;

/// The span set apart: a pale ground from its first date to its last (half
/// a week beyond each, as its bars), its name above the plot, ending where
/// it ends.
fn draw_span(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &mut DatePlot<'_, '_>,
    span: &Span,
    (bottom, top): (f64, f64),
) -> Result<(), Box<dyn std::error::Error>> {
    let half = Duration::days(3);
    let ground = RGBColor(236, 240, 243).filled();
    chart.draw_series(std::iter::once(Rectangle::new(
        [(span.from - half, bottom), (span.to + half, top)],
        ground,
    )))?;
    let style = TextStyle::from(("sans-serif", 16).into_font())
        .color(&RGBColor(70, 80, 88))
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    let (right, plot_top) = chart.backend_coord(&(span.to + half, top));
    root.draw(&Text::new(span.label.clone(), (right, plot_top - 6), style))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::SragTotals;

    fn day(date: &str, new_cases: i64) -> CasesDay {
        CasesDay {
            uf: "SP".into(),
            city_ibge: None,
            city: None,
            date: date.parse().unwrap(),
            cases: 0,
            deaths: 0,
            new_cases,
            new_deaths: 0,
            new_cases_7d: new_cases as f64,
            new_deaths_7d: 0.0,
            population: None,
            cases_per_100k: None,
            deaths_per_100k: None,
        }
    }

    #[test]
    fn a_watched_figure_is_a_still_svg_with_its_line_and_legend() {
        let day = |d| NaiveDate::from_ymd_opt(2021, 3, d).unwrap();
        let points = vec![(day(1), 0.78), (day(8), 0.79), (day(11), 0.804)];
        let svg = watched_svg("UTI", points, Some(("linha", 0.8)), true, crate::format::BR)
            .expect("drawn");
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{svg}"
        );
        assert!(!svg.contains("chart-hover"), "no tooltip layer in an image");
        assert!(
            svg.contains("\nUTI\n") && svg.contains("\nlinha\n"),
            "{svg}"
        );
        assert_eq!(
            watched_svg("UTI", Vec::new(), None, true, crate::format::BR),
            None
        );
    }

    #[test]
    fn charts_are_svg_with_their_table_and_empty_without_data() {
        let series = StateSeries {
            cases: vec![day("2021-03-01", 1200), day("2021-03-02", 1500)],
            ..StateSeries::default()
        };
        let charts = state_charts("SP", &series, Lang::Pt, false, BedFilter::default());
        let cases = charts.iter().find(|c| c.id == "cases").unwrap();
        assert!(cases.svg.starts_with("<svg"), "{}", cases.svg);
        assert!(
            cases.svg.contains("1.500") || cases.svg.contains("1.200"),
            "pt-BR axis labels"
        );
        assert_eq!(cases.rows.len(), 2);
        // One tooltip layer whatever the days: each day's x, in the
        // table's order, and a target from the first day to the last.
        let layer = cases.svg.split("<g class=\"chart-hover\"").nth(1).unwrap();
        let days: Vec<i32> = layer
            .split("data-days=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .split(' ')
            .map(|x| x.parse().unwrap())
            .collect();
        assert_eq!(days.len(), cases.rows.len());
        assert!(days[0] < days[1], "{days:?}");
        let hit = layer.split("class=\"chart-hit\"").nth(1).unwrap();
        assert!(hit.starts_with(&format!(" x=\"{}\"", days[0])), "{hit}");
        assert!(
            hit.contains(&format!("width=\"{}\"", days[1] - days[0])),
            "{hit}"
        );
        assert_eq!(layer.matches("<rect").count(), 2, "{layer}");
        assert!(!cases.svg.contains("<title>"), "no element per day");
        assert!(
            cases.svg.matches("<line").count() < 20,
            "grid lines at the labels only: {}",
            cases.svg
        );
        assert_eq!(cases.rows[1].1, vec![Some(1500.0), Some(1500.0)]);
        let occupancy = charts.iter().find(|c| c.id == "occupancy").unwrap();
        assert!(occupancy.svg.is_empty() && occupancy.rows.is_empty());
        assert!(
            charts.iter().all(|c| c.id != "patients"),
            "no register charts without register data"
        );
    }

    fn patients(date: &str, confirmed_icu: i64, exits: [i64; 4]) -> PatientsDay {
        let [
            deaths_confirmed,
            discharges_confirmed,
            deaths_suspected,
            discharges_suspected,
        ] = exits;
        PatientsDay {
            uf: "SP".into(),
            date: date.parse().unwrap(),
            hospitals: 2,
            stale: 0,
            rejected: 0,
            suspected_clinical: 1,
            suspected_icu: 2,
            confirmed_clinical: 3,
            confirmed_icu,
            confirmed_share: None,
            deaths_suspected,
            discharges_suspected,
            deaths_confirmed,
            discharges_confirmed,
            death_rate_suspected: None,
            death_rate_confirmed: None,
            rejected_exits: 0,
        }
    }

    #[test]
    fn register_charts_show_patients_daily_and_exit_deaths_weekly() {
        let series = StateSeries {
            // Monday 1 and Tuesday 2 March are in the epidemiological week
            // that starts on Sunday 28 February; Monday 8 is in the next.
            patients: vec![
                patients("2021-03-01", 4, [1, 3, 0, 2]),
                patients("2021-03-02", 5, [1, 1, 0, 0]),
                patients("2021-03-08", 6, [0, 0, 0, 0]),
            ],
            ..StateSeries::default()
        };
        let charts = state_charts("SP", &series, Lang::En, false, BedFilter::default());
        let beds = charts.iter().find(|c| c.id == "patients").unwrap();
        assert_eq!(beds.columns[0], "Confirmed, ICU");
        assert_eq!(beds.rows.len(), 3);
        assert_eq!(
            beds.rows[1].1,
            vec![Some(5.0), Some(2.0), Some(3.0), Some(1.0)]
        );
        let exits = charts.iter().find(|c| c.id == "exit-deaths").unwrap();
        assert!(exits.percent && exits.svg.starts_with("<svg"));
        // Week of 1 March: confirmed 2 deaths of 6 exits, suspected 0 of 2;
        // the week of 8 March had no exits: no rate.
        assert_eq!(exits.rows.len(), 1);
        assert_eq!(exits.rows[0].1, vec![Some(2.0 / 6.0), Some(0.0)]);
    }

    #[test]
    fn the_srag_weeks_still_filling_in_are_set_apart() {
        let srag = |day: u32| SragTotals {
            uf: "SP".into(),
            from: NaiveDate::from_ymd_opt(2020, 12, day).unwrap(),
            to: NaiveDate::from_ymd_opt(2020, 12, day).unwrap(),
            hospitalised: 10,
            confirmed: 6,
            suspected: 4,
            deaths: 1,
            deaths_confirmed: 1,
            deaths_suspected: 0,
            confirmed_share: None,
            death_rate_confirmed: None,
            death_rate_suspected: None,
        };
        let mut series = StateSeries {
            srag: (1..=28).map(srag).collect(),
            ..StateSeries::default()
        };
        let chart = |series: &StateSeries| {
            state_charts("SP", series, Lang::Pt, false, BedFilter::default())
                .into_iter()
                .find(|c| c.id == "srag")
                .unwrap()
        };
        // Newest data long after the period: every week shown is complete.
        series.srag_newest = NaiveDate::from_ymd_opt(2021, 6, 1);
        assert!(!chart(&series).svg.contains("semanas incompletas"));
        // Newest on 28 December: the weeks after the one ending on
        // 31 October are still filling in, all the period shown.
        series.srag_newest = NaiveDate::from_ymd_opt(2020, 12, 28);
        let srag = chart(&series);
        assert!(
            srag.svg
                .contains("semanas incompletas: dados ainda chegando")
        );
        assert_eq!(srag.rows.len(), 5, "the weeks of 29 Nov to 27 Dec");
    }

    #[test]
    fn axis_labels_of_a_small_range_keep_their_decimals() {
        let line = Line::solid(
            "Óbitos por 100 mil",
            (1..=9)
                .map(|d| {
                    let day = NaiveDate::from_ymd_opt(2021, 3, d).unwrap();
                    (day, f64::from(d) / 10.0)
                })
                .collect(),
            1,
        );
        let chart = chart("deaths", "x", vec![line], false, crate::format::BR);
        let labels: Vec<&str> = chart
            .svg
            .split("</text>")
            .filter_map(|piece| piece.rsplit('>').next())
            .filter(|text| text.contains(','))
            .collect();
        let distinct: std::collections::HashSet<&&str> = labels.iter().collect();
        assert!(labels.len() >= 3, "{labels:?}");
        assert_eq!(distinct.len(), labels.len(), "no label repeats: {labels:?}");
    }

    #[test]
    fn a_correction_is_told_not_drawn_below_zero() {
        let days = [
            day("2021-03-01", 40),
            day("2021-03-02", -3),
            day("2021-03-03", 25),
        ];
        let days: Vec<&CasesDay> = days.iter().collect();
        let charts = case_charts(&days, Lang::Pt, false);
        let cases = &charts[0];
        let labels: Vec<&str> = cases
            .svg
            .split("</text>")
            .filter_map(|piece| piece.rsplit('>').next())
            .map(str::trim)
            .collect();
        assert!(
            labels
                .iter()
                .all(|l| !l.starts_with('-') && !l.starts_with('\u{2212}')),
            "no negative axis label: {labels:?}"
        );
        assert!(
            labels.contains(&"0,0"),
            "the axis starts at zero: {labels:?}"
        );
        let note = cases.note.as_deref().unwrap();
        assert!(
            note.starts_with("1 dia(s) com correção negativa") && note.contains("-3"),
            "{note}"
        );
        // The table keeps the published value.
        assert_eq!(cases.rows[1].1[0], Some(-3.0));
        assert_eq!(charts[1].note, None, "no correction of deaths");
    }
}
