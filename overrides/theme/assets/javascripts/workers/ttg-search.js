/* Thigh Twitch Guide search worker: the whole search engine, in one small file.

   The theme (Material for MkDocs) fetches search/search_index.json and talks to its search
   worker in four messages (SETUP, READY, QUERY, RESULT); this worker speaks that protocol
   itself, so no lunr index is built and Material's engine file is not loaded. The records come
   from the site's built HTML (overrides/hooks/search.py): one per page and section, each a list
   of the blocks a reader sees (a paragraph, a list item, a table row as "cell - cell").

   1. The reader's words. A contraction is read as its words ("won't" as "will not"). Each word is stemmed (Porter, as lunr.js does it; words of three
      letters or fewer, such as ALS, stay whole), mapped through the reviewed synonym list
      (docs/_data/synonyms.yml), and matched whole. Only the word still being typed matches as
      a prefix; a misspelt word (one or two letters off a word of the site) is read as that word.
   2. Ranking. Each section is scored on its own (BM25 over its text, plus its title and its
      page's title). A word counts by how rare it is on the site, and common English words
      ("mean", "need", "symptoms", "worried") count for little, so a section whose title holds
      one of them cannot win. A section that covers all of the reader's topic words ranks
      above one that covers some. A page's opening has an edge over other pages' sections, not
      over its own sections when the query says a word beyond the page's title. A warning-sign
      card goes first when the query names one of its signs (not only where it happens). Weights
      were chosen on the tuning set (make bench).
   3. The excerpt. The sentence (or list item, or table row) that holds the most of the
      reader's topic words (the site's subject words and stray words count only when the query
      has no other; a sentence that says the whole query word for word comes first), with its neighbour when it is short, read on to the end of its paragraph
      while whole sentences fit (240 characters); only the words that matched are marked, three
      at most.
   4. Honest gaps. A topic word that no page uses is reported back ("We have no page about
      SSRI", shown by site.js) when nothing else in the query names a topic; with no result at
      all, the site's words closest to what was typed ("Did you mean"). */
(function () {
  "use strict";

  var MESSAGE = { SETUP: 0, READY: 1, QUERY: 2, RESULT: 3 };

  /* Porter stemmer: the algorithm as lunr.js 2.3 implements it (MIT licence, Oliver
     Nightingale), so stems match the ones the build checks (hooks/search.py has the same port). */
  var porter = (function () {
    var step2 = { ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble",
      alli: "al", entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate", ator: "ate",
      alism: "al", iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive",
      biliti: "ble", logi: "log" };
    var step3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
    var C = "[^aeiou][^aeiouy]*", V = "[aeiouy][aeiou]*";
    var mgr0 = new RegExp("^(" + C + ")?" + V + C);
    var meq1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$");
    var mgr1 = new RegExp("^(" + C + ")?" + V + C + V + C);
    var sv = new RegExp("^(" + C + ")?[aeiouy]");
    var cvc = new RegExp("^" + C + "[aeiouy][^aeiouwxy]$");
    var re2 = new RegExp("^(.+?)(" + Object.keys(step2).join("|") + ")$");
    var re3 = new RegExp("^(.+?)(" + Object.keys(step3).join("|") + ")$");
    var re4 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
    return function (w) {
      var m;
      if (w.length < 3) return w;
      var firstY = w.charAt(0) === "y";
      if (firstY) w = "Y" + w.slice(1);
      if ((m = /^(.+?)(ss|i)es$/.exec(w))) w = m[1] + m[2];
      else if ((m = /^(.+?)([^s])s$/.exec(w))) w = m[1] + m[2];
      if ((m = /^(.+?)eed$/.exec(w))) {
        if (mgr0.test(m[1])) w = w.slice(0, -1);
      } else if ((m = /^(.+?)(ed|ing)$/.exec(w))) {
        if (sv.test(m[1])) {
          w = m[1];
          if (/(at|bl|iz)$/.test(w)) w += "e";
          else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
          else if (cvc.test(w)) w += "e";
        }
      }
      if ((m = /^(.+?[^aeiou])y$/.exec(w))) w = m[1] + "i";
      if ((m = re2.exec(w)) && mgr0.test(m[1])) w = m[1] + step2[m[2]];
      if ((m = re3.exec(w)) && mgr0.test(m[1])) w = m[1] + step3[m[2]];
      if ((m = re4.exec(w))) {
        if (mgr1.test(m[1])) w = m[1];
      } else if ((m = /^(.+?)(s|t)(ion)$/.exec(w)) && mgr1.test(m[1] + m[2])) {
        w = m[1] + m[2];
      }
      if ((m = /^(.+?)e$/.exec(w)) && (mgr1.test(m[1]) || (meq1.test(m[1]) && !cvc.test(m[1])))) w = m[1];
      if (/ll$/.test(w) && mgr1.test(w)) w = w.slice(0, -1);
      if (firstY) w = "y" + w.slice(1);
      return w;
    };
  })();

  function stem(word) { return word.length <= 3 ? word : porter(word); }

  var separator = /[\s\-,:;!?=\[\]()"\u201c\u201d'\/]+|\.(?!\d)/;
  /* A contraction is its words ("won't" is "will not", "don't" "do not", "I've" "I"): split at
     its apostrophe, "won" or "don" would be taken for a topic word no page uses. */
  var BARE = { cant: "can not", wont: "will not", dont: "do not", doesnt: "does not", didnt: "did not",
    isnt: "is not", arent: "are not", wasnt: "was not", havent: "have not", couldnt: "could not",
    shouldnt: "should not", wouldnt: "would not" };
  function expand(text) {
    // Typed on a phone, a contraction often loses its apostrophe ("cant lift foot"): read as one.
    text = text.replace(/\b(cant|wont|dont|doesnt|didnt|isnt|arent|wasnt|havent|couldnt|shouldnt|wouldnt)\b/g,
      function (m) { return BARE[m]; });
    return text.replace(/\b(won|can|shan)'t\b/g, function (m, w) { return (w === "won" ? "will" : w === "shan" ? "shall" : "can") + " not"; })
      .replace(/([a-z])n't\b/g, "$1 not").replace(/([a-z])'(?:ve|ll|re|d|m)\b/g, "$1");
  }

  function words(text) {
    return expand(text.toLowerCase().replace(/[\u2018\u2019]/g, "'")).split(separator)
      .map(function (w) { return w.replace(/^'+|'+$/g, "").replace(/'s$/, ""); })
      .filter(function (w) { return w.length > 0; });
  }

  /* Words that carry no topic at all: dropped from the query. */
  var STOP = {};
  ("a am an and are as at be been but by can could did do does doing for from had has have he " +
   "her his how i if in into is it its me my of on or our she so than that the their them then " +
   "there these they this to us was we were what will with would you your i'm im it's should " +
   "much many any some just").split(" ").forEach(function (w) { STOP[w] = true; });

  /* Words that make a query a question (it is then not read as a request for the overview). */
  var QUESTION = {};
  "what why how when which who whom whose where does do did can could is are was should will would"
    .split(" ").forEach(function (w) { QUESTION[w] = true; });

  /* Weights, chosen on tests/data/search-queries.yml (make bench). */
  var TITLE = 4;        // a word in the section's title, against one use in its text
  var PAGE_TITLE = 0.3;   // a word in the title of the section's page
  var SITE_COMMON = 0.3;  // a word on more than this share of the records is on "most pages"
  var COVER = 1;            // how much a result loses for each of the query's words it lacks
  var TITLE_FIT = 0.5;      // a title that the query's words account for
  var COMMON_WEIGHT = 0.5;  // a word that carries no topic ("mean", "need", "symptoms")
  var K1 = 1.2, B = 0.75;    // BM25
  var PAGE_EDGE = 1.3;       // a page's own record (its introduction) against its sections
  var KEEP = 0.2;            // results scoring under this share of the best are not shown
  var PASSAGE = 1;           // a section one of whose sentences holds all of the query's words
  var SAFETY_FLOOR = 0.3;    // a warning-sign card that holds the query in one sign goes first,
                             // if it scores at least this share of the best result
  var WIDE_TITLE = 0.5;      // a title word that is on most of the site ("thigh", "twitching")
  var SUBJECT_TITLE = 0;     // a title word that is the site's subject ("thigh", in four page titles)
  var STRAY_TITLE = 0.5;     // a stray word that is the query's only word in a title
  var TITLE_PHRASE = 0.5;      // the query says the title's own words in a row ("what should i do")
  var RARE = 3;              // a word on this many records or fewer names one thing
  var MAX_RESULTS = 12;
  var OPENING = true;        // a query that restates a title is answered by the section's opening
  var LEAN = true;           // a sentence that leans on the one before it comes with it
  var TOPIC_EXCERPT = true;  // the excerpt's sentence is chosen by the query's topic words, not
                             // its subject or stray words ("cramp or twitch": the cramp sentence)
  var RESTATE_STRAY = true;  // a title's stray words ("Symptom diary") need not be said to restate it
  var PHRASE = true;         // a sentence that says the query's words in a row is the excerpt
  var ASKED_NOT_SAID = true; // ... unless it is a question the page asks
  var REMEDY_ASKED = 1.3;     // a remedy page (mkdocs.yml search_remedies) when the query asks how to stop it
  var REMEDY_UNASKED = 0.8;   // ... and when it does not: "caffeine and twitching" asks about a cause
  var SUBJECT_SCORE = 0.5;    // a subject word's share of a section's score ("leg" in "how to stop leg
                              // twitching" is no reason to prefer "very bad leg cramps")
  var SKIP_SMALL = 2;        // small words of the reader's a synonym's phrase may have between its words
  var TITLE_HELD = 0.75;      // a query word the passage holds only through its section's title
  var OWN_PASSAGE = true;     // the passage rule reads a nested list item's own words only
  var SUBJECT_HELD = true;    // a warning sign need not say the site's subject words to go first
  var PHRASE_MARKS = true;    // a phrase's small words are not highlighted ("out of breath": no "of")
  var SIGN_NAMED = true;      // a warning sign goes first only when the query names what is wrong,
                             // not only where ("twitching in both legs")
  var OWN_EDGE = 1;          // a section against its own page's opening, which then has no edge
  var PHRASE_SIGN = true;     // a phrase of the reader's read as a phrase of the site ("short of
                              // breath": "out of breath") counts its words for safety first
  var READ_ON = true;        // the excerpt reads on, in its paragraph, while the length allows
  var MYTH = true;           // a sentence quoting a myth ('Myth: "..."') loses a tie to one that
                             // answers, and never stands alone in an excerpt
  var MYTH_MARK = /\bMyth: \u201c/;

  var docs = [];
  var df = {};             // stem -> how many records use it
  var vocabulary = {};     // stem -> true
  var spellings = {};      // word as written (4+ letters) -> how often
  var place = {};           // stems of words that say where in the body ("groin", "knee"), not what is wrong
  var stray = {};          // stems of words that carry no topic ("mean", "need", "symptoms")
  var remedyPages = [];    // the locations of the pages that answer how to stop or ease it
  var remedyWords = {};    // stems of the words that ask it ("stop", "help", "cure")
  var everyday = {};       // stems of everyday words no page uses ("bed"): never "no page about"
  var commonSite = {};     // stems of everyday words the pages use ("year"): never a respelling
  var TIERS = { emergency: 0, urgent: 1, gp: 2 };
  var subject = {};        // the site's subject words: mkdocs.yml's extra.search_subject, and
                           // any word in the titles of three pages or more
  var synonyms = [];
  var avgLength = 1;
  var vocabularyList = [], spellingsByLength = {};

  function sentences(block) {
    var parts = block.match(/[^.!?]+(?:[.!?]+["\u201d)]*(?=\s|$)|$)/g) || [block];
    return parts.map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function stemSet(text) {
    var set = {};
    words(text).forEach(function (w) { set[stem(w)] = true; });
    return set;
  }

  function setup(data) {
    var config = data.config || {};
    if (config.separator) separator = new RegExp(config.separator);
    (config.stray || []).forEach(function (s) { stray[s] = true; });
    var remedies = config.remedies || {};
    remedyPages = remedies.pages || [];
    (remedies.words || []).forEach(function (s) { remedyWords[s] = true; });
    // The weights can be set from the index's config (the benchmark and tests use it).
    var w = config.weights || {};
    if (typeof w.title === "number") TITLE = w.title;
    if (typeof w.page_title === "number") PAGE_TITLE = w.page_title;
    if (typeof w.stray === "number") COMMON_WEIGHT = w.stray;
    if (typeof w.title_fit === "number") TITLE_FIT = w.title_fit;
    if (typeof w.page_edge === "number") PAGE_EDGE = w.page_edge;
    (config.everyday || []).forEach(function (s) { everyday[s] = true; });
    (config.common || []).forEach(function (s) { commonSite[s] = true; });
    (config.subject || []).forEach(function (s) { subject[s] = true; });
    (config.places || []).forEach(function (s) { place[s] = true; });
    if (typeof w.passage === "number") PASSAGE = w.passage;
    if (typeof w.title_held === "number") TITLE_HELD = w.title_held;
    if (typeof w.skip_small === "number") SKIP_SMALL = w.skip_small;
    if (typeof w.subject_score === "number") SUBJECT_SCORE = w.subject_score;
    if (typeof w.remedy_asked === "number") REMEDY_ASKED = w.remedy_asked;
    if (typeof w.remedy_unasked === "number") REMEDY_UNASKED = w.remedy_unasked;
    if (typeof w.safety_floor === "number") SAFETY_FLOOR = w.safety_floor;
    if (typeof w.rare === "number") RARE = w.rare;
    if (typeof w.wide_title === "number") WIDE_TITLE = w.wide_title;
    if (typeof w.title_phrase === "number") TITLE_PHRASE = w.title_phrase;
    if (typeof w.subject_title === "number") SUBJECT_TITLE = w.subject_title;
    if (typeof w.stray_title === "number") STRAY_TITLE = w.stray_title;
    if (typeof w.b === "number") B = w.b;
    if (typeof w.cover === "number") COVER = w.cover;
    if (typeof w.opening === "number") OPENING = !!w.opening;
    if (typeof w.leans === "number") LEAN = !!w.leans;
    if (typeof w.topic_excerpt === "number") TOPIC_EXCERPT = !!w.topic_excerpt;
    if (typeof w.read_on === "number") READ_ON = !!w.read_on;
    if (typeof w.myth === "number") MYTH = !!w.myth;
    if (typeof w.subject_held === "number") SUBJECT_HELD = !!w.subject_held;
    if (typeof w.own_passage === "number") OWN_PASSAGE = !!w.own_passage;
    if (typeof w.phrase_sign === "number") PHRASE_SIGN = !!w.phrase_sign;
    if (typeof w.sign_named === "number") SIGN_NAMED = !!w.sign_named;
    if (typeof w.own_edge === "number") OWN_EDGE = w.own_edge;
    if (typeof w.phrase_marks === "number") PHRASE_MARKS = !!w.phrase_marks;
    if (typeof w.phrase === "number") PHRASE = !!w.phrase;
    if (typeof w.asked_not_said === "number") ASKED_NOT_SAID = !!w.asked_not_said;
    if (typeof w.restate_stray === "number") RESTATE_STRAY = !!w.restate_stray;
    var map = config.synonyms || {};
    Object.keys(map).forEach(function (phrase) {
      synonyms.push({
        words: words(phrase).map(stem),
        replace: map[phrase].split(",").map(words).filter(function (a) { return a.length; })
      });
    });
    var nearest = config.nearest || {};
    Object.keys(nearest).forEach(function (phrase) {
      synonyms.push({
        words: words(phrase).map(stem), nearest: true,
        replace: nearest[phrase].split(",").map(words).filter(function (a) { return a.length; })
      });
    });
    synonyms.sort(function (a, b) { return b.words.length - a.words.length; });
    var total = 0;
    docs = data.docs.map(function (d) {
      var tf = {}, length = 0, units = [], captions = [], lead = {};
      (d.lead || []).forEach(function (b) { lead[b] = true; });
      (d.blocks || []).concat(d.captions || []).forEach(function (block, b) {
        // A table row is one unit, read as "cell - cell". A figure caption is searched, and
        // shown only sentence by sentence: whole, it reads badly out of its figure.
        if (typeof block !== "string") {
          block = block.join(" - ");
          units.push({ text: block, block: b, stems: stemSet(block), row: true });
        } else if (b < (d.blocks || []).length) {
          sentences(block).forEach(function (s) {
            units.push({ text: s, block: b, stems: stemSet(s), lead: !!lead[b], myth: MYTH_MARK.test(s) });
          });
        } else {
          sentences(block).forEach(function (s) { captions.push({ text: s, block: b, stems: stemSet(s) }); });
        }
        words(block).forEach(function (w) {
          var s = stem(w);
          tf[s] = (tf[s] || 0) + 1;
          length++;
          if (w.length >= 4 && /^[a-z]+$/.test(w)) spellings[w] = (spellings[w] || 0) + 1;
        });
      });
      // An item of a nested list is read with the item it belongs to ("back pain or leg pain with
      // any one of these" + "numbness around your bottom"): one sign of a warning-sign card.
      var parentOf = {};
      var parents = {};
      (d.under || []).forEach(function (pair) { parentOf[pair[0]] = pair[1]; parents[pair[1]] = true; });
      units.forEach(function (u) {
        u.ctx = u.stems;
        // "back pain or leg pain with any one of these" is no sign until one of these is said.
        u.parent = !!parents[u.block];
        if (parentOf[u.block] === undefined) return;
        var ctx = {};
        units.forEach(function (p) {
          if (p.block === parentOf[u.block]) Object.keys(p.stems).forEach(function (k) { ctx[k] = true; });
        });
        Object.keys(u.stems).forEach(function (k) { ctx[k] = true; });
        u.ctx = ctx;
      });
      var title = stemSet(d.title), page = stemSet(d.page || ""), telling = {};
      Object.keys(title).forEach(function (k) { if (!STOP[k]) telling[k] = true; });
      words(d.title).forEach(function (w) { if (w.length >= 4 && /^[a-z]+$/.test(w)) spellings[w] = (spellings[w] || 0) + 1; });
      var all = {};
      Object.keys(tf).concat(Object.keys(title)).forEach(function (s) { all[s] = true; });
      Object.keys(all).forEach(function (s) { df[s] = (df[s] || 0) + 1; vocabulary[s] = true; });
      Object.keys(page).forEach(function (s) { vocabulary[s] = true; });
      total += length;
      return {
        location: d.location, title: d.title, page: d.page || d.title, boost: d.boost || 1,
        isPage: d.location.indexOf("#") < 0, tf: tf, card: d.card || null, titleWords: words(d.title).map(stem), length: length, titleStems: title,
        tellingTitle: telling, pageStems: page, units: units, captions: captions, blocks: d.blocks || [], all: all
      };
    });
    avgLength = Math.max(1, total / Math.max(1, docs.length));
    var inPageTitles = {};
    docs.forEach(function (doc) {
      // The page's own title (its h1), not its record's: a page opened by a section is titled with both.
      if (doc.isPage) Object.keys(doc.pageStems).forEach(function (k) { inPageTitles[k] = (inPageTitles[k] || 0) + 1; });
    });
    Object.keys(inPageTitles).forEach(function (k) { if (inPageTitles[k] >= 3 && !STOP[k]) subject[k] = true; });
    vocabularyList = Object.keys(vocabulary);
    Object.keys(spellings).forEach(function (w) {
      (spellingsByLength[w.length] = spellingsByLength[w.length] || []).push(w);
    });
    docs.forEach(function (doc) {
      doc.titleWeight = 0;
      Object.keys(doc.tellingTitle).forEach(function (k) { doc.titleWeight += idf({ key: k }) * (stray[k] ? COMMON_WEIGHT : 1); });
    });
  }

  /* --- the reader's query ------------------------------------------------------------------- */

  /* A slip of the finger: a letter for its neighbour on the keyboard, or one vowel for another
     ("magnisium"). Any other letter for a letter costs more, so "tear" is not read as "team". */
  var KEYS = {};
  ["qwertyuiop", "asdfghjkl", "zxcvbnm"].forEach(function (row, r) {
    row.split("").forEach(function (k, c) { KEYS[k] = [r, c + r * 0.5]; });
  });
  function swapCost(x, y) {
    if (/[aeiouy]/.test(x) && /[aeiouy]/.test(y)) return 1;
    var p = KEYS[x], q = KEYS[y];
    return p && q && Math.abs(p[0] - q[0]) <= 1 && Math.abs(p[1] - q[1]) <= 1 ? 1 : 1.5;
  }

  /* Edit distance with swaps of two letters ("hamstirng"), given up past `limit`. */
  function damerau(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : swapCost(a[i - 1], b[j - 1])));
        if (prev2 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > limit) return limit + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  /* The site's words within `limit` edits of `word`, nearest and commonest first. */
  var nearCache = {};
  function near(word, limit) {
    var key = word + "/" + limit;
    if (nearCache[key]) return nearCache[key];
    var found = [];
    for (var n = word.length - limit; n <= word.length + limit; n++) {
      (spellingsByLength[n] || []).forEach(function (known) {
        if (known === word) return;
        var d = damerau(word, known, limit);
        if (d <= limit) found.push({ word: known, d: d });
      });
    }
    found.sort(function (x, y) { return x.d - y.d || spellings[y.word] - spellings[x.word]; });
    return (nearCache[key] = found);
  }

  /* The site's word a misspelt word most likely means, or null. */
  function respell(word) {
    // An everyday word the pages do not use ("lost") is a word, not a slip for one they do ("list").
    if (word.length < 4 || !/^[a-z]+$/.test(word) || everyday[stem(word)]) return null;
    // A typo keeps the first letter, and two slips change the length by one at most; the word
    // it is read as names a topic (an everyday word such as "year" is never the one meant:
    // "tear" is a word the site lacks, not a typo).
    var found = near(word, word.length < 7 ? 1 : 2).filter(function (n) {
      var s = stem(n.word);
      return n.word.charAt(0) === word.charAt(0) && !commonSite[s] && !stray[s] &&
        (n.d < 2 || Math.abs(n.word.length - word.length) <= 1);
    });
    return found.length ? found[0].word : null;
  }

  function isPrefix(key) {
    if (key.length < 2) return false;
    return vocabularyList.some(function (s) { return s.indexOf(key) === 0; });
  }

  /* How many of the query's words, from i, say a synonym's phrase: word for word, or with up to
     SKIP_SMALL small words of the reader's between its words ("control of my bladder" says
     "control bladder"); 0 if they do not. */
  function phraseAt(phrase, stems, input, i) {
    if (!phrase.length) return 0;
    var j = i, skipped = 0;
    for (var k = 0; k < phrase.length; k++) {
      while (k > 0 && j < stems.length && stems[j] !== phrase[k] && STOP[input[j]] && skipped < SKIP_SMALL) { j++; skipped++; }
      if (stems[j] !== phrase[k]) return 0;
      j++;
    }
    return j - i;
  }

  /* The query -> groups: one per reader's word (or synonym phrase), each a list of alternatives,
     each alternative a list of terms that must all be present. */
  function parse(query) {
    var input = words(query);
    // A query of nothing but small words ("what should i do now") keeps them all; beside a word
    // that carries little ("can you check my symptoms"), they stay out ("you" would pick a page).
    var allStop = input.every(function (w) { return STOP[w]; });
    var typing = !/\s$/.test(query);   // the last word may be unfinished
    var stems = input.map(stem);
    var groups = [], unknown = [], respelled = {}, dropped = 0;
    for (var i = 0; i < input.length;) {
      var hit = null, span = 0;
      for (var s = 0; s < synonyms.length && !hit; s++) {
        span = phraseAt(synonyms[s].words, stems, input, i);
        if (span) hit = synonyms[s];
      }
      var n = hit ? span : 1;
      var word = input[i], last = i + n >= input.length;
      var alternatives = [];
      if (hit && hit.nearest) unknown.push(input.slice(i, i + n).join(" "));
      if (hit) {
        alternatives = hit.replace.map(function (alt) { return alt.map(function (w) { return { key: stem(w) }; }); });
        if (n === 1 && vocabulary[stems[i]]) alternatives.push([{ key: stems[i] }]);
      } else if (!STOP[word] || allStop) {
        if (vocabulary[stems[i]]) alternatives.push([{ key: stems[i] }]);
        else {
          var fixed = respell(word);
          if (fixed) { alternatives.push([{ key: stem(fixed) }]); respelled[word] = fixed; }
          if (last && typing && isPrefix(stems[i])) alternatives.push([{ key: stems[i], prefix: true }]);
          else if (last && typing && isPrefix(word)) alternatives.push([{ key: word, prefix: true }]);
          if (!alternatives.length && isTopic(word)) unknown.push(word);
        }
      }
      if (!alternatives.length && !STOP[word]) dropped++;
      if (alternatives.length) {
        // Words that carry no topic ("mean", "need") and bare numbers ("3 weeks") weigh little.
        var isCommon = alternatives.every(function (alt) {
          return alt.every(function (t) { return stray[t.key] || /^\d+$/.test(t.key); });
        });
        var rarest = 0;
        alternatives.forEach(function (alt) {
          alt.forEach(function (t) { t.idf = idf(t); });
          rarest = Math.max(rarest, Math.min.apply(null, alt.map(function (t) { return t.idf; })));
        });
        var isSubject = alternatives.some(function (alt) { return alt.length === 1 && subject[alt[0].key]; });
        groups.push({ alternatives: alternatives, weight: rarest * (isCommon ? COMMON_WEIGHT : 1), common: isCommon, subject: isSubject,
                      nearest: !!(hit && hit.nearest), synonym: !!hit });
      }
      i += n;
    }
    // Nothing but the site's subject ("leg twitching", "thigh muscle twitch"): every word the
    // reader typed that is not a small word is one of the subject's.
    // A question about it ("what is a muscle twitch") is a question, answered by its own section.
    var asks = input.some(function (w) { return QUESTION[w]; });
    var overview = !dropped && !asks && !unknown.length && groups.length > 0 && groups.every(function (g) { return g.subject; });
    return { groups: groups, unknown: unknown, respelled: respelled, overview: overview };
  }

  /* A word no page uses that may name a topic: not a small word, an everyday word, a number. */
  function isTopic(word) {
    return word.length > 2 && !STOP[word] && !everyday[stem(word)] && !commonSite[stem(word)] &&
      !stray[stem(word)] && !/\d/.test(word);
  }

  /* The site's stems a word still being typed may become. */
  function completions(t) {
    if (!t.stems) t.stems = vocabularyList.filter(function (s) { return s.indexOf(t.key) === 0; });
    return t.stems;
  }

  function docFreq(t) {
    if (!t.prefix) return df[t.key] || 0;
    var n = 0;
    completions(t).forEach(function (s) { n = Math.max(n, df[s] || 0); });
    return n;
  }

  function idf(t) {
    var n = docFreq(t);
    return Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
  }

  /* --- scoring -------------------------------------------------------------------------------- */

  function termScore(doc, t) {
    var tf = 0, inTitle = false, inPage = false;
    if (t.prefix) {
      completions(t).forEach(function (s) {
        tf = Math.max(tf, doc.tf[s] || 0);
        inTitle = inTitle || !!doc.titleStems[s];
        inPage = inPage || !!doc.pageStems[s];
      });
    } else {
      tf = doc.tf[t.key] || 0;
      inTitle = !!doc.titleStems[t.key];
      inPage = !!doc.pageStems[t.key];
    }
    var text = tf ? tf * (K1 + 1) / (tf + K1 * (1 - B + B * doc.length / avgLength)) : 0;
    // A title word that is on most of the site says little about the section ("What causes thigh
    // twitching" for "thigh twitch at night").
    // A stray word alone in a title ("Emergency: call now" for "how to stop my thigh twitching
    // right now", "Weakness: what doctors mean") says little; beside a telling word of the same
    // title ("What helps thigh twitching") it keeps its weight.
    var wide = stray[t.key] && doc.strayAlone ? STRAY_TITLE : subject[t.key] ? SUBJECT_TITLE : docFreq(t) > SITE_COMMON * docs.length ? WIDE_TITLE : 1;
    return text + (inTitle ? TITLE * wide : 0) + (inPage && !doc.isPage ? PAGE_TITLE : 0);
  }

  function groupScore(doc, group) {
    var best = 0;
    group.alternatives.forEach(function (alt) {
      var s = Infinity;
      alt.forEach(function (t) { s = Math.min(s, termScore(doc, t) * t.idf); });
      if (s > best) best = s;
    });
    return best;
  }

  /* How much of a title the query says word for word, small words included: "what should i do
     about my twitching" says three of the four words of "What should I do now?". Two words in a
     row at least, one of them more than a small word. */
  function titlePhrase(doc, said) {
    var t = doc.titleWords, best = 0;
    if (!said || !t.length) return 0;
    for (var i = 0; i < said.length; i++) {
      for (var j = 0; j < t.length; j++) {
        var n = 0, telling = false;
        while (i + n < said.length && j + n < t.length && said[i + n] === t[j + n]) {
          if (!STOP[t[j + n]]) telling = true;
          n++;
        }
        if (n >= 2 && telling && n > best) best = n;
      }
    }
    return best / t.length;
  }

  function isRemedy(doc) {
    var page = doc.location.split("#")[0];
    return remedyPages.indexOf(page) >= 0;
  }

  function rank(groups, said, overview) {
    // Does the reader ask how to stop or ease it ("how to stop", "what helps", "cure")?
    var asksRemedy = (said || []).some(function (s) { return remedyWords[s]; });
    var total = 0;
    groups.forEach(function (g) { total += g.weight; });
    var scored = [];
    docs.forEach(function (doc) {
      var phrase = titlePhrase(doc, said);
      doc.strayAlone = !groups.some(function (g) {
        return !g.common && g.alternatives.some(function (alt) { return unitHas(doc.titleStems, alt); });
      });
      var score = 0, covered = 0, titled = 0;
      groups.forEach(function (g) {
        var s = groupScore(doc, g);
        if (s > 0) { covered += g.weight; score += s * (g.common ? COMMON_WEIGHT : g.subject ? SUBJECT_SCORE : 1); }
        // The site's subject ("thigh", "twitching") is what every section is about, said or not.
        else if (g.subject) covered += g.weight;
        if (g.alternatives.some(function (alt) { return unitHas(doc.titleStems, alt); })) titled += g.weight;
      });
      if (score <= 0) return;
      var coverage = total ? covered / total : 1;
      // One sentence (or list item, or table row, read with the section's title) that holds all
      // of the query's words answers better than words spread over a long section.
      // The item's own words: a nested sign read with the item it belongs to ("leg pain" +
      // "trouble stopping a pee") is one sign for safety first, not an answer to "stop leg twitching".
      var passage = total ? bestUnit(doc, groups, false, OWN_PASSAGE).weight / total : 0;
      // How much of the title the query's words account for: "What a muscle twitch
      // (fasciculation) is" is about "fasciculation"; "Benign fasciculation syndrome" only partly.
      var fit = doc.titleWeight ? Math.min(1, titled / doc.titleWeight) : 0;
      score *= Math.pow(coverage, COVER) * Math.sqrt(doc.boost) * (doc.isPage ? PAGE_EDGE : 1) * (1 + TITLE_FIT * fit) *
        (1 + PASSAGE * passage * passage) * (1 + TITLE_PHRASE * phrase);
      if (isRemedy(doc)) score *= asksRemedy ? REMEDY_ASKED : REMEDY_UNASKED;
      scored.push({ doc: doc, score: score });
    });
    scored.sort(function (a, b) { return b.score - a.score; });
    if (OWN_EDGE) scored = ownSectionsFirst(scored, groups, asksRemedy);
    var top = scored.length ? scored[0].score : 0;
    var kept = scored.filter(function (r) { return r.score >= KEEP * top; });
    var ranked = safetyFirst(kept, groups, top);
    return (overview ? overviewFirst(ranked) : ranked).slice(0, MAX_RESULTS);
  }

  /* A page's opening has an edge over other pages' sections (PAGE_EDGE), not over its own: a
     section of the same page that scores as well as the opening does without its edge goes
     ahead of it, when the query says a word beyond the page's title that the section holds
     ("flicker under the skin": "How it feels", not the page's list of words for a twitch). */
  function ownSectionsFirst(list, groups, asksRemedy) {
    var out = list.slice();
    var topic = topicGroups(groups).filter(function (g) { return !g.subject; });
    list.forEach(function (r) {
      if (!r.doc.isPage) return;
      var page = r.doc.location;
      // The query's topic words beyond what the page's title says (and beyond "stop" or "help"
      // on a page about what helps): with none, the query asks about the page as a whole.
      var beyond = topic.filter(function (g) {
        if (asksRemedy && isRemedy(r.doc) && g.alternatives.every(function (alt) { return alt.every(function (t) { return remedyWords[t.key]; }); })) return false;
        return !g.alternatives.some(function (alt) { return unitHas(r.doc.titleStems, alt); });
      });
      if (!beyond.length) return;
      var own = out.filter(function (o) {
        return !o.doc.isPage && o.doc.location.split("#")[0] === page && o.score * OWN_EDGE >= r.score / PAGE_EDGE &&
          beyond.every(function (g) { return groupScore(o.doc, g) > 0; });
      })[0];
      if (!own || out.indexOf(own) < out.indexOf(r)) return;
      out.splice(out.indexOf(r), 1);
      out.splice(out.indexOf(own) + 1, 0, r);
    });
    return out;
  }

  /* A query made of the site's subject words alone ("leg twitching", "thigh muscle twitch") asks
     about the whole subject: the home page, the site's overview, answers it first. */
  function overviewFirst(list) {
    var home = list.filter(function (r) { return r.doc.location === ""; })[0];
    if (!home) {
      var doc = docs.filter(function (d) { return d.location === ""; })[0];
      if (!doc) return list;
      home = { doc: doc, score: list.length ? list[0].score : 0 };
    }
    return [home].concat(list.filter(function (r) { return r !== home; }));
  }

  /* The reader's topic words: not stray words, not the words on most of the site ("twitching",
     "muscle"). */
  function topicGroups(groups) {
    return groups.filter(function (g) { return !g.common && groupDf(g) <= SITE_COMMON * docs.length; });
  }

  /* How many records hold a reader's word: for a phrase, the records that hold all its words. */
  function groupDf(g) {
    if (g.df !== undefined) return g.df;
    var n = docs.length;
    g.alternatives.forEach(function (alt) { n = Math.min(n, altDf(alt)); });
    return (g.df = n);
  }
  function altDf(alt) {
    if (alt.df === undefined) alt.df = alt.length === 1 ? docFreq(alt[0]) : docs.filter(function (d) { return unitHas(d.all, alt); }).length;
    return alt.df;
  }

  /* The unit of a section holding the most weight of the query's words (its own words, those of
     the list item it belongs to, and the section's title). */
  function bestUnit(doc, groups, noTitle, own, signsOnly) {
    var best = { weight: 0, unit: null, groups: [], distinct: 0 };
    doc.units.forEach(function (u) {
      if (signsOnly && u.parent) return;
      var w = 0, held = [], seen = {}, said = 0;
      groups.forEach(function (g) {
        var alt = g.alternatives.filter(function (a) { return unitHas(own ? u.stems : u.ctx, a); })[0];
        // A word only the section's title holds counts less than one the sentence says:
        // "Benign fasciculation syndrome (BFS)" does not answer "follow up studies benign
        // twitching" as "all the follow-up studies we found" does.
        var byTitle = false;
        if (!alt && !noTitle) { alt = g.alternatives.filter(function (a) { return unitHas(doc.titleStems, a); })[0]; byTitle = !!alt; }
        if (!alt) return;
        w += g.weight * (byTitle ? TITLE_HELD : 1); held.push(g);
        alt.forEach(function (t) { seen[t.key] = true; });
        // A reader's words read as a phrase of the site (synonyms.yml) count as its telling words.
        said += PHRASE_SIGN && g.synonym ? Math.max(1, alt.filter(function (t) { return !STOP[t.key]; }).length) : 1;
      });
      // How many different words of the unit the reader's words found: "at night" and "in bed"
      // both find "night" (one); "water pills" finds "diuretic" (one); "short
      // of breath" finds "out of breath" (two).
      var distinct = Math.min(said, Object.keys(seen).length);
      if (w > best.weight + 1e-9) best = { weight: w, unit: u, groups: held, distinct: distinct, keys: Object.keys(seen) };
    });
    return best;
  }

  /* A word that can say what is wrong: not a small or stray word, not the site's subject, not a
     place in the body. */
  function tellsWhat(k) { return !stray[k] && !subject[k] && !STOP[k] && !place[k]; }

  /* Safety first: a warning-sign card one of whose signs holds every topic word of the query
     ("face drooping", "can't pee", "numb bottom and back pain") goes first, ahead of general
     pages; with two such cards, the more urgent one. A single word counts only if it is rare on the
     site (it names the sign: "pee", "tetanus"), so "cramp" alone still finds the cramp section.
     The card must score at least SAFETY_FLOOR of the best result: its sign shares the query's
     words, not only one of them. */
  function safetyFirst(list, groups, top) {
    // Topic words: not stray words, not the words on most of the site ("twitching", "muscle").
    // The site's subject ("twitching", "leg") is what every sign is about, said or not: "stroke
    // symptoms leg" asks about the stroke sign, which need not say "leg".
    var topic = topicGroups(groups).filter(function (g) { return !SUBJECT_HELD || !g.subject; });
    var telling = groups.filter(function (g) { return !g.common && (!SUBJECT_HELD || !g.subject); });
    if (!topic.length) return list;
    var first = [];
    list.forEach(function (r) {
      if (!r.doc.card || r.score < SAFETY_FLOOR * top) return;
      // The sign must hold every word of the query that carries any topic ("what can I do to
      // stop leg twitching" is not "trouble stopping a pee" with back or leg pain).
      if (bestUnit(r.doc, telling, true, false, SIGN_NAMED).groups.length < telling.length) return;
      var best = bestUnit(r.doc, topic, true, false, SIGN_NAMED);
      if (best.groups.length < topic.length) return;
      // Two of the reader's words must be two words of the sign ("at night" and "in bed" are
      // both "night"), or one word that names the sign.
      // (rare in the words the sign holds: "both legs" may also read as the rare "more than one
      // place", which this sign does not say; and not a place: "groin" reads as "genitals")
      var rare = best.groups.some(function (g) {
        return g.alternatives.some(function (alt) {
          return altDf(alt) <= RARE && unitHas(best.unit.ctx, alt) && (!SIGN_NAMED || alt.some(function (t) { return !place[t.key] && !subject[t.key]; }));
        });
      });
      // And one of them must name what is wrong, not only where: "twitching in both legs" is not
      // "new weakness or numbness in both legs", nor "groin twitching" "numbness around your
      // genitals or inner thighs" (mkdocs.yml extra.search_places).
      // (said by the sign itself, not only by the item it belongs to: "back pain and leg
      // twitching" is not "numbness around your bottom" under "back pain or leg pain with any one of")
      var names = !SIGN_NAMED || best.keys.some(function (k) { return tellsWhat(k) && best.unit.stems[k]; });
      if ((best.distinct >= 2 && names) || rare) first.push(r);
    });
    if (!first.length) return list;
    // One card goes first, the most urgent; the others keep their places.
    first.sort(function (a, b) { return TIERS[a.doc.card] - TIERS[b.doc.card] || b.score - a.score; });
    return [first[0]].concat(list.filter(function (r) { return r !== first[0]; }));
  }

  /* --- the excerpt ------------------------------------------------------------------------------ */

  function escapeHTML(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  /* A word still being typed may complete to hundreds of stems: look at the unit's own few. */
  var stemKeys = typeof WeakMap === "function" ? new WeakMap() : null;
  function unitHas(stems, alt) {
    return alt.every(function (t) {
      if (!t.prefix) return !!stems[t.key];
      var keys = stemKeys && stemKeys.get(stems);
      if (!keys && stemKeys) stemKeys.set(stems, (keys = Object.keys(stems)));
      if (keys) return keys.some(function (s) { return s.indexOf(t.key) === 0; });
      return completions(t).some(function (s) { return stems[s]; });
    });
  }

  function unitScore(unit, groups) {
    var s = 0;
    groups.forEach(function (g) {
      if (g.alternatives.some(function (alt) { return unitHas(unit.stems, alt); })) s += g.weight;
    });
    return s;
  }

  var EXCERPT_SHORT = 90, EXCERPT_MAX = 240, MARKS = 3;

  function covers(unit, groups) {
    return groups.filter(function (g) {
      return g.alternatives.some(function (alt) { return unitHas(unit.stems, alt); });
    });
  }

  /* Every telling word of the title (the site's subject words aside) is one of the query's, and
     every word of the query is in the title. */
  function restates(doc, groups) {
    var said = {};
    groups.forEach(function (g) { g.alternatives.forEach(function (alt) { alt.forEach(function (t) { said[t.key] = true; }); }); });
    return groups.every(function (g) { return g.alternatives.some(function (alt) { return unitHas(doc.titleStems, alt); }); }) &&
      Object.keys(doc.tellingTitle).every(function (k) { return said[k] || subject[k] || (RESTATE_STRAY && stray[k]); });
  }

  /* A sentence that leans on the one before it ("Doctors call it a fasciculation", "They are not
     the same as small twitches"): read alone, it does not say what "it" is. */
  var LEANS = /^(?:\S+\s+){0,2}(?:it|this|these|they|them|that|those|its)\b/i;

  /* The unit (sentence, list item, table row, or a figure caption's own sentence) holding the
     most weight of the query's words; on a tie, one of the page's short answer. If it leaves some
     of the query's words out and another unit of the section has them, that one follows ("...
     urge to move your legs. … It is linked to low iron ..."); if it is short, or leans on the
     sentence before it, its neighbour joins it. */
  function excerptText(doc, groups, said) {
    var units = doc.units;
    if (!units.length && !doc.captions.length) return "";
    var best = -1, bestScore = 0;
    // A query that says what the title says and no more ("symptom diary", "privacy") is answered
    // by the section's opening (its short answer, if it has one), unless one unit holds two or
    // more of its words.
    var opening = OPENING && restates(doc, groups) &&
      !(groups.length >= 2 && units.some(function (u) { return covers(u, groups).length === groups.length; }));
    // The site's subject words ("twitching", "leg") are in most sentences, and stray words ("help",
    // "cause") in many: beside a topic word ("cramp or twitch", "does magnesium help"), they would
    // pick the sentence that happens to repeat them ("Twitches and cramps can happen together",
    // "...magnesium is unlikely to help") over the one about the topic ("A cramp is when...", "We
    // found no trial of magnesium for twitching").
    var allGroups = groups;
    if (TOPIC_EXCERPT) {
      var topical = groups.filter(function (g) { return !g.subject; });
      if (topical.length) groups = topical;
      var telling = groups.filter(function (g) { return !g.common; });
      if (telling.length) groups = telling;
    }
    if (opening) units.some(function (u, i) { if (u.lead) { best = i; return true; } return false; });
    // A sentence that says the whole query word for word ("Twitching without weakness is very
    // rarely how ALS starts" for "twitching without weakness") answers it, whatever its words are
    // (the subject and stray words the choice above leaves out).
    var phrase = PHRASE && said ? said : [];
    var inRow = function (u) {
      // A question the page asks ("How can 1 in 300 and "rare" both be true?") says the words
      // but is not the answer.
      if (phrase.length < 2 || (ASKED_NOT_SAID && /\?["\u201d']?$/.test(u.text))) return false;
      var ws = u.seq || (u.seq = words(u.text).map(stem));
      for (var i = 0; i + phrase.length <= ws.length; i++) {
        var k = 0;
        while (k < phrase.length && ws[i + k] === phrase[k]) k++;
        if (k === phrase.length) return true;
      }
      return false;
    };
    if (!opening) units.forEach(function (u, i) {
      var s = unitScore(u, groups) + (inRow(u) ? 1000 : 0);
      var tie = s > 0 && s > bestScore - 1e-9;
      if (s > bestScore + 1e-9 || (tie && u.lead && !units[best].lead) ||
          (tie && MYTH && units[best].myth && !u.myth &&
           unitScore(u, allGroups) > unitScore(units[best], allGroups) - 1e-9)) { best = i; bestScore = s; }
    });
    // A figure caption's own sentence ("Adductors: the inner side of the thigh."), never the
    // whole caption, stands in only when it answers more than any sentence of the text.
    var fromCaption = null, captionScore = bestScore;
    if (!opening) doc.captions.forEach(function (u) {
      var s = unitScore(u, groups);
      if (s > captionScore + 1e-9) { fromCaption = u; captionScore = s; }
    });
    if (fromCaption) return fromCaption.text;
    if (!units.length) return "";
    if (best < 0) {  // no sentence holds the query's words: the section's first, unless it is a myth
      best = 0;
      if (MYTH) while (best + 1 < units.length && units[best].myth) best++;
    }
    var first = units[best], text = first.text;
    var heaviest = 0;
    groups.forEach(function (g) { heaviest = Math.max(heaviest, g.weight); });
    var missing = opening ? [] : groups.filter(function (g) { return covers(first, [g]).length === 0 && g.weight >= 0.5 * heaviest; });
    var extra = -1, extraScore = 0;
    if (missing.length && text.length < EXCERPT_MAX * 0.6) {
      units.forEach(function (u, i) {
        if (i === best) return;
        var s = unitScore(u, missing);
        if (s > extraScore + 1e-9) { extra = i; extraScore = s; }
      });
    }
    // A myth is never shown on its own: what its paragraph or list item says next follows it
    // ("This is not supported."), and the excerpt reads on from there.
    if (first.myth && MYTH) {
      extra = -1;
      for (var after = best + 1; after < units.length && units[after].block === first.block; after++) {
        if (!units[after].myth) { extra = after; break; }
      }
      for (var before = best - 1; extra < 0 && before >= 0 && units[before].block === first.block; before--) {
        if (!units[before].myth) extra = before;
      }
    }
    var join = function (a, b) {
      if (a.block !== b.block) return " \u00b7 ";             // another block: a dot between
      return Math.abs(units.indexOf(a) - units.indexOf(b)) === 1 ? " " : " \u2026 ";
    };
    var next = units[best + 1], prev = units[best - 1], end = best;
    if (prev && prev.block === first.block && LEAN && !first.row && LEANS.test(first.text) && prev.text.length + text.length < EXCERPT_MAX) {
      text = prev.text + " " + text;
    } else if (extra >= 0) {
      text = extra > best ? text + join(first, units[extra]) + units[extra].text
                          : units[extra].text + join(units[extra], first) + text;
      end = Math.max(best, extra);
    } else {
      if (text.length < EXCERPT_SHORT && next && (next.block === first.block || next.text.length < EXCERPT_SHORT || opening)) {
        // The section's opening reads on to a full excerpt ("About 1 in 300 people gets ALS
        // (MND) in their lifetime." and what follows).
        var last = first;
        for (var k = best + 1; k < units.length && text.length < EXCERPT_SHORT; k++) {
          text += join(last, units[k]) + units[k].text;
          last = units[k]; end = k;
          if (!opening) break;
        }
      } else if (text.length < EXCERPT_SHORT && prev && prev.block === first.block) {
        text = prev.text + " " + text;
      }
    }
    // The excerpt reads on to the end of its paragraph while whole sentences fit: the sentence
    // that holds the query's word often sets up the answer ("You cannot always prevent twitches.
    // Many come and go... But the habits below cut down the usual triggers.").
    if (READ_ON) {
      for (var r = end + 1; r < units.length && units[r].block === units[r - 1].block &&
           text.length + 1 + units[r].text.length <= EXCERPT_MAX; r++) text += " " + units[r].text;
    }
    if (text.length > EXCERPT_MAX) text = text.slice(0, EXCERPT_MAX).replace(/\s+\S*$/, "") + "\u2026";
    return text;
  }

  /* Marks the words of `text` that matched the query's telling words: those whose weight is at
     least half the weight of the best word present, so "twitching" (on every page) is not marked
     beside "caffeine". At most `budget` marks, each word once. */
  function highlight(text, groups, budget) {
    var stems = stemSet(text);
    var present = groups.filter(function (g) {
      return g.alternatives.some(function (alt) { return unitHas(stems, alt); });
    });
    var top = 0;
    present.forEach(function (g) { top = Math.max(top, g.weight); });
    var keys = [];
    // The words of an alternative the text holds; of a phrase, not its small words ("out of
    // breath": "out" and "breath", never every "of" of the sentence).
    present.filter(function (g) { return g.weight >= 0.5 * top; }).forEach(function (g) {
      g.alternatives.forEach(function (alt) {
        if (PHRASE_MARKS && !unitHas(stems, alt)) return;
        var small = !PHRASE_MARKS || alt.every(function (t) { return STOP[t.key]; });
        alt.forEach(function (t) { if (small || !STOP[t.key]) keys.push(t); });
      });
    });
    var marked = 0, seen = {};
    return text.split(/(\s+)/).map(function (chunk) {
      var m = /^([^A-Za-z0-9]*)([A-Za-z0-9\u2019']+)(.*)$/.exec(chunk);
      if (!m || marked >= budget) return escapeHTML(chunk);
      var s = stem(m[2].toLowerCase().replace(/[\u2019']s$/, ""));
      var hit = keys.some(function (t) { return t.prefix ? s.indexOf(t.key) === 0 : s === t.key; });
      if (!hit || seen[s]) return escapeHTML(chunk);
      seen[s] = true;
      marked++;
      return escapeHTML(m[1]) + "<mark>" + escapeHTML(m[2]) + "</mark>" + escapeHTML(m[3]);
    }).join("");
  }

  var lastRanked = [];
  function answered(groups) {
    var topic = topicGroups(groups).filter(function (g) { return !g.nearest; });
    if (topic.length < 2 || !lastRanked.length) return false;
    return bestUnit(lastRanked[0].doc, topic).distinct >= 2;
  }

  function results(groups, said, overview) {
    lastRanked = rank(groups, said, overview);
    return lastRanked.map(function (r) {
      var doc = r.doc;
      var item = {
        location: doc.location,
        title: highlight(doc.title, groups, 2),
        text: "<p>" + highlight(excerptText(doc, groups, said), groups, MARKS) + "</p>",
        score: r.score,
        terms: {}
      };
      if (doc.isPage) return [item];
      // Material renders a result as page card + sections; the page card here carries only the
      // page title (site.js folds it into the section's card as a label).
      var pageLocation = doc.location.split("#")[0];
      return [item, { location: pageLocation, title: escapeHTML(doc.page), text: "", score: 0, terms: {} }];
    });
  }

  /* No match: the site's words closest to what was typed ("Did you mean"). */
  function closest(query) {
    var input = words(query);
    var best = [];
    input.forEach(function (w, index) {
      if (w.length < 4 || STOP[w]) return;
      // looser than respell(): these are only offered
      near(w, w.length < 7 ? 2 : 3).slice(0, 3).forEach(function (n) {
        var fixed = input.slice();
        fixed[index] = n.word;
        best.push({ d: n.d, query: fixed.join(" ") });
      });
    });
    best.sort(function (a, b) { return a.d - b.d || a.query.length - b.query.length; });
    var seen = {};
    return best.filter(function (b) { return seen[b.query] ? false : (seen[b.query] = true); })
      .slice(0, 3).map(function (b) { return b.query; });
  }

  /* The word being typed, completed to the site's commonest word that starts with it. */
  function suggest(query) {
    var input = words(query);
    var last = input[input.length - 1];
    if (!last || /\s$/.test(query) || last.length < 3) return [];
    var best = null;
    Object.keys(spellings).forEach(function (w) {
      if (w.indexOf(last) === 0 && w !== last && (!best || spellings[w] > spellings[best])) best = w;
    });
    return best ? [best] : [];
  }

  function search(query) {
    var parsed = parse(query);
    // A topic word that no page uses, beside only words that carry no topic ("help with
    // shingles", "tear 2 weeks"): those words alone would pick a section at random, so none is
    // shown, only the "not covered" line with the finder.
    var onlyCommon = parsed.groups.every(function (g) { return g.common; });
    var items = parsed.groups.length && !(parsed.unknown.length && onlyCommon) ? results(parsed.groups, words(query).map(stem), parsed.overview) : [];
    var data = { items: items, suggest: suggest(query), ttgQuery: query };
    if (!items.length && query.trim()) data.ttgClosest = closest(query);
    // A topic word that no page uses (and no synonym or typo accounts for) is said first, even
    // beside words the site covers: the results below are the nearest answers, not the answer.
    // Held back only when the best answer holds two of the query's other topic words in one
    // sentence ("ALS age of onset"): then the query's topic is covered and the word is detail.
    if (parsed.unknown.length && !(items.length && answered(parsed.groups))) data.ttgUnknown = parsed.unknown;
    if (Object.keys(parsed.respelled).length) data.ttgRespelled = parsed.respelled;
    return data;
  }

  self.addEventListener("message", function (event) {
    var message = event.data;
    if (!message) return;
    if (message.type === MESSAGE.SETUP) {
      setup(message.data);
      self.postMessage({ type: MESSAGE.READY });
    } else if (message.type === MESSAGE.QUERY && typeof message.data === "string") {
      self.postMessage({ type: MESSAGE.RESULT, data: search(message.data) });
    }
  });

  // For tests/test_search.py: the stemmer, to compare with the build's port.
  self.ttgStem = stem;
})();
