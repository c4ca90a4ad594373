package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"golang.org/x/text/language"
)

// lang is the page's language.
type lang string

const (
	ja lang = "ja"
	en lang = "en"
)

var matcher = language.NewMatcher([]language.Tag{language.Japanese, language.English})

// langOf picks the page's language: ?lang= (the switch on the page), else
// the browser's Accept-Language. Without either the staff's Japanese; a
// browser that asks for neither Japanese nor English gets English, the
// likelier of the two to be read.
func langOf(r *http.Request) lang {
	switch r.URL.Query().Get("lang") {
	case "ja":
		return ja
	case "en":
		return en
	}
	accept := r.Header.Get("Accept-Language")
	if accept == "" {
		return ja
	}
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return ja
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No || i == 1 {
		return en
	}
	return ja
}

// periods are the choices of the period selector, in days; the first is
// the default.
var periods = []int{7, 30, 90}

// periodOf reads ?days=, one of periods; anything else is the default.
func periodOf(r *http.Request) int {
	d, err := strconv.Atoi(r.URL.Query().Get("days"))
	if err != nil || !slices.Contains(periods, d) {
		return periods[0]
	}
	return d
}

// pageURL is the page's address for a language and a period: only values
// from fixed lists go in it.
func pageURL(l lang, days int) string { return "/admin/?" + pageQuery(l, days) }

func pageQuery(l lang, days int) string {
	q := url.Values{}
	q.Set("lang", string(l))
	q.Set("days", strconv.Itoa(days))
	return q.Encode()
}

// japan is the staff's clock: UTC+9 all year.
var japan = time.FixedZone("JST", 9*60*60)

// msg is a phrase of the page in both languages.
type msg struct{ ja, en string }

// messages are the page's words, by key. A key the page asks for that is
// missing here fails the page's tests (T returns an error, the template
// stops, the page is a 500).
var messages = map[string]msg{
	"title":        {"supportbot 管理画面", "supportbot admin"},
	"login_title":  {"supportbot 管理画面 — ログイン", "supportbot admin — Log in"},
	"token":        {"管理トークン（ADMIN_TOKEN）", "Admin token (ADMIN_TOKEN)"},
	"login":        {"ログイン", "Log in"},
	"wrong_token":  {"トークンが違います。", "Wrong token."},
	"skip":         {"本文へ移動", "Skip to the content"},
	"logout":       {"ログアウト", "Log out"},
	"switch":       {"English", "日本語"},
	"period":       {"期間", "Period"},
	"days":         {"過去%d日", "Last %d days"},
	"range":        {"%s 〜 %s", "%s to %s"},
	"overview":     {"概要", "Overview"},
	"questions":    {"質問", "Questions"},
	"no_match":     {"該当なし", "No match"},
	"no_match_of":  {"%s（%s件）", "%s (%s)"},
	"helpful":      {"👍 役に立った", "👍 Helpful"},
	"not_helpful":  {"👎 役に立たなかった", "👎 Not helpful"},
	"log_off":      {"質問ログは無効です（QUESTION_LOG=off）。有効にすると、ここに質問の集計が表示されます。", "The question log is off (QUESTION_LOG=off). Turn it on to see what people asked here."},
	"log_failed":   {"質問ログを読み込めませんでした。データベースを確認してください。回答は続いています。", "The question log could not be read. Check the database; answers go on."},
	"none":         {"この期間の質問はありません。", "No questions in this period."},
	"show_table":   {"表で見る", "Show as a table"},
	"per_day":      {"日ごとの質問と該当なし率", "Questions and no-match rate per day"},
	"per_day_desc": {"%d日間で質問%s件、うち該当なし%s件（%s）。最も多い日は%s（%s件）。", "%d days, %s questions, %s of them without a match (%s). Busiest day: %s (%s)."},
	"answered":     {"回答あり", "Answered"},
	"rate":         {"該当なし率", "No-match rate"},
	"rate_axis":    {"該当なし率（右の目盛り）", "No-match rate (right axis)"},
	"shown_rest":   {"2番目以降に表示", "Shown, not first"},
	"date":         {"日付", "Date"},
	"outcomes":     {"質問の結果", "What questions came to"},
	"outcome":      {"結果", "Outcome"},
	"share":        {"割合", "Share"},
	"unanswered":   {"答えられなかった質問", "Unanswered questions"},
	"unanswered_h": {"似た言い回しをまとめ、多い順に表示しています。ダウンロードしたファイルの gold に答えるべき制度の行番号を記入し、回帰テスト（eval/*.jsonl）に加えてください。", "Near-duplicates are counted together, most asked first. Label gold in the downloaded file with the seed lines that should answer, and add the lines to a regression file (eval/*.jsonl)."},
	"download":     {"評価用 JSONL をダウンロード（全%d件）", "Download as evaluation JSONL (all %d)"},
	"times":        {"回数", "Times"},
	"question":     {"質問", "Question"},
	"also":         {"言い換え", "Also asked as"},
	"last":         {"最後", "Last asked"},
	"lang":         {"言語", "Language"},
	"more_groups":  {"ほか%d件はダウンロードでご覧ください。", "%d more in the download."},
	"no_unans":     {"答えられなかった質問はありません。", "No unanswered questions."},
	"top_unans":    {"答えられなかった質問（上位%d件）", "Unanswered questions (top %d)"},
	"feedback":     {"制度ごとの評価", "Feedback per programme"},
	"feedback_d":   {"👍 は右、👎 は左。評価のあった制度を 👎 の多い順に。", "👍 to the right, 👎 to the left; programmes with votes, most 👎 first."},
	"no_votes":     {"この期間の評価はありません。", "No votes in this period."},
	"programme":    {"制度", "Programme"},
	"demand":       {"需要", "Demand"},
	"programmes":   {"よく表示された制度", "Programmes shown most"},
	"shown":        {"表示", "Shown"},
	"first":        {"1番目", "First"},
	"categories":   {"分野（最初に表示された制度の分野）", "Areas (of the first programme shown)"},
	"category":     {"分野", "Area"},
	"channels":     {"チャネル", "Channels"},
	"channel":      {"チャネル", "Channel"},
	"languages":    {"言語", "Languages"},
	"chart_desc":   {"%s：%s", "%s: %s"},
	"knowledge":    {"ナレッジ", "Knowledge"},
	"version":      {"バージョン", "Version"},
	"source":       {"読込元", "Source"},
	"loaded":       {"読込日時", "Loaded"},
	"initiatives":  {"取組数", "Initiatives"},
	"poll":         {"（%s ごとに確認）", " (looked at every %s)"},
	"reloads":      {"再読込", "Reloads"},
	"last_reload":  {"最後の再読込", "Last reload"},
	"regression":   {"回帰テスト", "Regression files"},
	"file":         {"ファイル", "File"},
	"oos":          {"対象外の判定", "Out-of-scope rejection"},
	"floor":        {"基準", "Floor"},
	"refused":      {"最後に見送った版", "Last refused version"},
	"refused_at":   {"%s、%s（%s）をチェック %s で見送りました。稼働中の %s はそのままです。", "%s: %s (%s) was refused by the %s check; the running %s stayed."},
	"reload":       {"今すぐ再読込", "Reload now"},
	"reload_h":     {"KNOWLEDGE_DIR を読み直し、チェックに通れば公開します。", "Reads KNOWLEDGE_DIR again and publishes it if it passes the checks."},
	"no_dir":       {"組み込みのナレッジで回答しています（KNOWLEDGE_DIR なし）。", "Answering from the built-in knowledge (no KNOWLEDGE_DIR)."},
	"none_yet":     {"なし", "none"},
}

// names of outcomes, channels and languages on the page.
var names = map[string]msg{
	"programmes":    {"制度を案内", "Programmes"},
	"category":      {"分野の一覧", "Area listing"},
	"clarification": {"聞き返し", "Asked to clarify"},
	"urgent":        {"緊急の相談先", "Urgent: contacts first"},
	"no_match":      {"該当なし", "No match"},
	"follow_up":     {"続き・詳細", "Follow-up"},
	"menu":          {"メニュー", "Menu"},
	"web":           {"Webチャット", "Web chat"},
	"line":          {"LINE", "LINE"},
	"slack":         {"Slack", "Slack"},
	"ja":            {"日本語", "Japanese"},
	"en":            {"英語", "English"},
	"ok":            {"公開", "published"},
	"refused":       {"見送り", "refused"},
	"unchanged":     {"変更なし", "unchanged"},
	"canceled":      {"中断", "canceled"},
	"start":         {"起動時", "at start"},
	"watch":         {"変更を検知", "change seen"},
	"signal":        {"SIGHUP", "SIGHUP"},
	"admin":         {"管理画面", "admin"},
	"embedded":      {"組み込み", "built in"},
}

func (m msg) in(l lang) string {
	if l == en {
		return m.en
	}
	return m.ja
}
