//! Interface languages: Portuguese (Brazil) first, English on request (`?lang=en`).
//!
//! Every label lives in a typed table, so a missing translation is a
//! compile error rather than a blank on screen: [`FrameStrings`] for the
//! few the browser draws itself, `Strings` (server only) for the pages'
//! content.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A language the interface speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Pt,
    En,
}

impl Lang {
    /// Reads the `lang` query parameter; anything but `en` means Portuguese.
    pub fn from_query(value: Option<&str>) -> Self {
        match value {
            Some("en") => Lang::En,
            _ => Lang::Pt,
        }
    }

    /// The value of the `lang` query parameter that selects this language.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pt => "pt",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch button.
    pub fn other(self) -> Self {
        match self {
            Lang::Pt => Lang::En,
            Lang::En => Lang::Pt,
        }
    }

    /// The labels the browser draws itself, in this language.
    pub fn frame(self) -> &'static FrameStrings {
        match self {
            Lang::Pt => &FRAME_PT,
            Lang::En => &FRAME_EN,
        }
    }

    /// The pages' labels in this language.
    #[cfg(feature = "ssr")]
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Pt => &PT,
            Lang::En => &EN,
        }
    }
}

/// The current language, derived from the URL so every view can be shared.
pub fn use_lang() -> Memo<Lang> {
    let query = use_query_map();
    Memo::new(move |_| Lang::from_query(query.read().get_str("lang")))
}

/// The labels the browser draws itself: the frame, the loading and
/// failure notices of a page, the unknown-address page. The WASM bundle
/// carries these and no other label.
pub struct FrameStrings {
    pub tagline: &'static str,
    pub switch_language: &'static str,
    pub loading: &'static str,
    pub status_unavailable: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub attribution: &'static str,
    pub overview_unavailable: &'static str,
    pub state_unavailable: &'static str,
    pub quality_title: &'static str,
    pub city_unavailable: &'static str,
}

/// Every other label of the interface, in one language: the pages' content,
/// which the server renders.
#[cfg(feature = "ssr")]
pub struct Strings {
    pub overview: &'static str,
    pub no_data_title: &'static str,
    pub no_data_body: &'static str,
    pub sources: &'static str,
    pub source: &'static str,
    pub kind: &'static str,
    pub state: &'static str,
    pub last_success: &'static str,
    pub newest_data: &'static str,
    pub detail: &'static str,
    pub state_pending: &'static str,
    pub state_ok: &'static str,
    pub state_failing: &'static str,
    pub pending_detail: &'static str,
    pub never: &'static str,
    pub data_as_of: &'static str,
    pub cases_week: &'static str,
    pub deaths_week: &'static str,
    pub icu_rate: &'static str,
    pub clinical_rate: &'static str,
    pub confirmed_share: &'static str,
    pub death_rates: &'static str,
    pub vs_last_week: &'static str,
    pub hospitals_reporting: &'static str,
    pub stale_hospitals: &'static str,
    pub last_28_days: &'static str,
    pub most_affected: &'static str,
    pub least_affected: &'static str,
    pub rising: &'static str,
    pub cities_most: &'static str,
    pub rank: &'static str,
    pub place: &'static str,
    pub per_100k: &'static str,
    pub change: &'static str,
    pub chart_cases: &'static str,
    pub chart_deaths: &'static str,
    pub chart_new_cases: &'static str,
    pub chart_new_deaths: &'static str,
    pub chart_mean_7d: &'static str,
    pub chart_occupancy: &'static str,
    pub chart_icu_covid: &'static str,
    pub chart_icu_all: &'static str,
    pub chart_clinical_covid: &'static str,
    pub chart_clinical_all: &'static str,
    pub chart_srag: &'static str,
    pub chart_confirmed: &'static str,
    pub chart_suspected: &'static str,
    pub chart_table: &'static str,
    pub chart_csv: &'static str,
    pub chart_empty: &'static str,
    pub date: &'static str,
    pub period: &'static str,
    pub days: &'static str,
    pub state_cities: &'static str,
    pub from_label: &'static str,
    pub to_label: &'static str,
    pub apply: &'static str,
    pub map_title: &'static str,
    pub map_metric: &'static str,
    pub metric_cases: &'static str,
    pub metric_deaths: &'static str,
    pub metric_week: &'static str,
    pub metric_icu: &'static str,
    pub metric_clinical: &'static str,
    pub no_value: &'static str,
    pub runs_title: &'static str,
    pub outcome: &'static str,
    pub stage: &'static str,
    pub rows_in: &'static str,
    pub rows_out: &'static str,
    pub rejected: &'static str,
    pub state_late: &'static str,
    pub late_detail: &'static str,
    pub per_100k_toggle: &'static str,
    pub per_100k_suffix: &'static str,
    pub city_rank_prefix: &'static str,
    pub city_rank_of: &'static str,
    pub city_rank_suffix: &'static str,
    pub city_unranked: &'static str,
    pub data_from: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub sign_in_title: &'static str,
    pub account_name: &'static str,
    pub password: &'static str,
    pub sign_in_failed: &'static str,
    pub signed_out: &'static str,
    pub signed_in_as: &'static str,
}

const FRAME_PT: FrameStrings = FrameStrings {
    tagline: "Radar de demanda hospitalar",
    switch_language: "English",
    loading: "Carregando…",
    status_unavailable: "Não foi possível ler a situação das fontes",
    not_found_title: "Página não encontrada",
    not_found_body: "O endereço não corresponde a nenhuma página do Sentinela.",
    back_home: "Voltar à visão geral",
    attribution: "Dados públicos: Ministério da Saúde (OpenDataSUS), covid19br (W. Cota, CC BY-SA 4.0), Brasil.IO (CC BY-SA 4.0), IBGE.",
    overview_unavailable: "Não foi possível ler os indicadores",
    state_unavailable: "Não foi possível ler os dados do estado",
    quality_title: "Dados e qualidade",
    city_unavailable: "Não foi possível ler os dados do município",
};

const FRAME_EN: FrameStrings = FrameStrings {
    tagline: "Hospital demand radar",
    switch_language: "Português",
    loading: "Loading…",
    status_unavailable: "Could not read the status of the sources",
    not_found_title: "Page not found",
    not_found_body: "This address matches no Sentinela page.",
    back_home: "Back to the overview",
    attribution: "Public data: Ministry of Health (OpenDataSUS), covid19br (W. Cota, CC BY-SA 4.0), Brasil.IO (CC BY-SA 4.0), IBGE.",
    overview_unavailable: "Could not read the indicators",
    state_unavailable: "Could not read the state's data",
    quality_title: "Data and quality",
    city_unavailable: "Could not read the city's data",
};

#[cfg(feature = "ssr")]
const PT: Strings = Strings {
    overview: "Visão geral",
    no_data_title: "Ainda não há dados carregados",
    no_data_body: "Os indicadores aparecem assim que a primeira coleta terminar. Situação de cada fonte:",
    sources: "Fontes de dados",
    source: "Fonte",
    kind: "Tipo",
    state: "Situação",
    last_success: "Última coleta",
    newest_data: "Dado mais recente",
    detail: "Detalhe",
    state_pending: "Pendente",
    state_ok: "Em dia",
    state_failing: "Com falha",
    pending_detail: "Ainda não coletada",
    never: "nunca",
    data_as_of: "Dados até",
    cases_week: "Casos nos últimos 7 dias",
    deaths_week: "Óbitos nos últimos 7 dias",
    icu_rate: "Ocupação de UTI COVID/SRAG",
    clinical_rate: "Ocupação de leitos clínicos COVID/SRAG",
    confirmed_share: "Confirmados entre internados por SRAG",
    death_rates: "Letalidade: confirmados / suspeitos",
    vs_last_week: "ante a semana anterior",
    hospitals_reporting: "hospitais informando",
    stale_hospitals: "sem atualização há 14 dias ou mais",
    last_28_days: "últimos 28 dias de dados",
    most_affected: "UFs mais afetadas (casos por 100 mil)",
    least_affected: "UFs menos afetadas (casos por 100 mil)",
    rising: "Maior alta de casos nesta semana",
    cities_most: "Municípios mais afetados (50 mil habitantes ou mais)",
    rank: "Nº",
    place: "Local",
    per_100k: "Por 100 mil",
    change: "Variação",
    chart_cases: "Casos novos por dia",
    chart_deaths: "Óbitos novos por dia",
    chart_new_cases: "Casos novos",
    chart_new_deaths: "Óbitos novos",
    chart_mean_7d: "Média de 7 dias",
    chart_occupancy: "Ocupação de leitos",
    chart_icu_covid: "UTI COVID/SRAG",
    chart_icu_all: "UTI, todos os leitos",
    chart_clinical_covid: "Clínicos COVID/SRAG",
    chart_clinical_all: "Clínicos, todos os leitos",
    chart_srag: "Internações por SRAG por semana",
    chart_confirmed: "Confirmados COVID-19",
    chart_suspected: "Suspeitos",
    chart_table: "Tabela de dados",
    chart_csv: "Baixar CSV",
    chart_empty: "Sem dados neste período",
    date: "Data",
    period: "Período",
    days: "dias",
    state_cities: "Municípios do estado (50 mil habitantes ou mais), casos por 100 mil",
    from_label: "De",
    to_label: "a",
    apply: "Aplicar",
    map_title: "Mapa por UF",
    map_metric: "Indicador do mapa",
    metric_cases: "Casos por 100 mil",
    metric_deaths: "Óbitos por 100 mil",
    metric_week: "Casos na semana por 100 mil",
    metric_icu: "Ocupação UTI COVID",
    metric_clinical: "Ocupação clínica COVID",
    no_value: "sem dado",
    runs_title: "Últimas coletas",
    outcome: "Resultado",
    stage: "Etapa",
    rows_in: "Linhas lidas",
    rows_out: "Linhas aceitas",
    rejected: "Rejeitadas",
    state_late: "Atrasada",
    late_detail: "A última coleta bem-sucedida é mais antiga que dois intervalos de coleta",
    per_100k_toggle: "Casos e óbitos por 100 mil habitantes",
    per_100k_suffix: "(por 100 mil hab.)",
    city_rank_prefix: "Nº",
    city_rank_of: "de",
    city_rank_suffix: "municípios do estado em casos por 100 mil habitantes",
    city_unranked: "Sem posição no ranking (população desconhecida)",
    data_from: "Dados de",
    sign_in: "Entrar",
    sign_out: "Sair",
    sign_in_title: "Entrar no Sentinela",
    account_name: "Usuário",
    password: "Senha",
    sign_in_failed: "Usuário ou senha incorretos.",
    signed_out: "Você saiu da sua conta.",
    signed_in_as: "Conectado como",
};

#[cfg(feature = "ssr")]
const EN: Strings = Strings {
    overview: "Overview",
    no_data_title: "No data loaded yet",
    no_data_body: "The indicators appear as soon as the first collection finishes. Status of each source:",
    sources: "Data sources",
    source: "Source",
    kind: "Kind",
    state: "Status",
    last_success: "Last collected",
    newest_data: "Newest data",
    detail: "Detail",
    state_pending: "Pending",
    state_ok: "Up to date",
    state_failing: "Failing",
    pending_detail: "Not collected yet",
    never: "never",
    data_as_of: "Data up to",
    cases_week: "Cases in the last 7 days",
    deaths_week: "Deaths in the last 7 days",
    icu_rate: "COVID/SRAG ICU occupancy",
    clinical_rate: "COVID/SRAG clinical occupancy",
    confirmed_share: "Confirmed among SRAG inpatients",
    death_rates: "Death rate: confirmed / suspected",
    vs_last_week: "vs the week before",
    hospitals_reporting: "hospitals reporting",
    stale_hospitals: "without an update for 14 days or more",
    last_28_days: "last 28 days of data",
    most_affected: "Most affected states (cases per 100k)",
    least_affected: "Least affected states (cases per 100k)",
    rising: "Fastest rise in cases this week",
    cities_most: "Most affected cities (50,000 inhabitants or more)",
    rank: "No.",
    place: "Place",
    per_100k: "Per 100k",
    change: "Change",
    chart_cases: "New cases per day",
    chart_deaths: "New deaths per day",
    chart_new_cases: "New cases",
    chart_new_deaths: "New deaths",
    chart_mean_7d: "7-day mean",
    chart_occupancy: "Bed occupancy",
    chart_icu_covid: "ICU, COVID/SRAG",
    chart_icu_all: "ICU, all beds",
    chart_clinical_covid: "Clinical, COVID/SRAG",
    chart_clinical_all: "Clinical, all beds",
    chart_srag: "SRAG hospitalisations per week",
    chart_confirmed: "Confirmed COVID-19",
    chart_suspected: "Suspected",
    chart_table: "Data table",
    chart_csv: "Download CSV",
    chart_empty: "No data in this period",
    date: "Date",
    period: "Period",
    days: "days",
    state_cities: "The state's cities (50,000 inhabitants or more), cases per 100k",
    from_label: "From",
    to_label: "to",
    apply: "Apply",
    map_title: "Map by state",
    map_metric: "Map indicator",
    metric_cases: "Cases per 100k",
    metric_deaths: "Deaths per 100k",
    metric_week: "Cases this week per 100k",
    metric_icu: "COVID ICU occupancy",
    metric_clinical: "COVID clinical occupancy",
    no_value: "no data",
    runs_title: "Latest ingest runs",
    outcome: "Outcome",
    stage: "Stage",
    rows_in: "Rows in",
    rows_out: "Rows out",
    rejected: "Rejected",
    state_late: "Late",
    late_detail: "The last successful collection is older than two collection intervals",
    per_100k_toggle: "Cases and deaths per 100,000 inhabitants",
    per_100k_suffix: "(per 100k)",
    city_rank_prefix: "No.",
    city_rank_of: "of",
    city_rank_suffix: "cities of the state by cases per 100,000 inhabitants",
    city_unranked: "Not ranked (population unknown)",
    data_from: "Data from",
    sign_in: "Sign in",
    sign_out: "Sign out",
    sign_in_title: "Sign in to Sentinela",
    account_name: "User name",
    password: "Password",
    sign_in_failed: "Wrong user name or password.",
    signed_out: "You have signed out.",
    signed_in_as: "Signed in as",
};
