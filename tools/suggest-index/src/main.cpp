// suggest-index: builds CartKeep's item index from an order or click log, inspects an index, evaluates
// suggestion quality by date split, and generates synthetic catalogs for benchmarks.
//   suggest-index build LOG.csv[.gz] --out index.bin [options]
//   suggest-index eval LOG.csv[.gz] [--split 2011-11-01] [--check] [options]
//   suggest-index inspect index.bin [--catalog catalog.json]
//   suggest-index synth --items 100000 --out-index synth.bin --out-catalog synth.json
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "build.hpp"
#include "store/catalog.hpp"
#include "suggest/item_index.hpp"
#include "base/json_fields.hpp"
#include "evaluate.hpp"

namespace si = suggest_index;
using Clock = std::chrono::steady_clock;

namespace {

const char* kUsage = R"(usage:
  suggest-index build LOG --out FILE [options]      write the item index for the browser
  suggest-index eval LOG [--split DATE] [options]   HR@10 / MRR@10: CartKeep vs popularity vs co-occurrence counts
  suggest-index inspect FILE [--catalog JSON]       validate an index and print what it holds
  suggest-index synth --items N --out-index FILE --out-catalog FILE [--k K] [--seed S]
  suggest-index synth-log --items N --sessions S --out FILE [--seed S]   a synthetic click log

LOG is CSV, plain or gzip ("-" reads stdin). Columns (defaults: the UCI Online Retail log):
  --basket-column InvoiceNo   --item-column StockCode   --time-column InvoiceDate
  --quantity-column Quantity  --title-column Description --price-column UnitPrice
  --event-column NAME         with --view-values view,detail,click --purchase-values purchase,order,...
  --sequence-column NAME      orders baskets into sequences (e.g. CustomerID: a customer's invoices in time);
                              without it each view session is a sequence
  --cancelled-prefix C        baskets whose id starts with this are skipped ('' keeps all)
  --item-pattern REGEX        product ids must match at their start (e.g. '[0-9]{5}')
  --preset online-retail      the reference log: products only ('[0-9]{5}'), upper-case ids
  --date-order mdy|dmy        for dates like 12/1/2010 (ISO dates and Unix seconds need nothing)
  --delimiter C   --max-open-baskets N (10000)
  --max-unreadable PERCENT (5) refuse a log with more unreadable rows (short, bad time or quantity)
Statistics:
  --half-life-days D (60)     time decay of counts and popularity; 0 for none
  --size-exponent X (0.5)     a basket of n items adds 1/n^X to each pair
  --max-basket N (500)        larger baskets count for popularity only
  --max-pairs N (4000000)     memory bound of the pair table; weakest pairs pruned beyond
  --alpha A (0.5)  --shrink S (2)  --min-support N (2)  --k K (24)
  --rule-min-support N (1)    viewed-next rules seen fewer times are left out
  --window N (5)              viewed-next rules: each event links to the N after it, weight 1/distance
build:
  --out FILE  --until DATE  --catalog-version LABEL  --source LABEL  --max-bytes N[k|m]  --catalog JSON
  --only-catalog JSON         index only this catalog's products, neighbours chosen among them
eval:
  --split DATE (2011-11-01)  --hide random|last|all  --seed N  --cutoff N (10)  --ablations
  --protocol hide-one|next|both (hide-one)  next: for each prefix of each test sequence, predict the
                              next event (HR and MRR at 10 and 20) against popularity and last-item
                              co-occurrence; needs sequences (view sessions or --sequence-column)
  --max-queries N             next: at most N prefixes, taken evenly over the test sequences (0: all)
  --check      exit 1 unless CartKeep beats both baselines on HR and MRR
  --skip-missing  exit 77 (skipped) when LOG does not exist
  --json FILE  also write the results as JSON
  scoring overrides: --w-neighbours --w-viewed --w-next --w-content --w-popularity (percent), --pop-exponent 1|0.5|0.25, --second-step --sibling (percent)
)";

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;
  std::vector<std::string> flags;
  bool has(const std::string& key) const { return values.count(key) || std::find(flags.begin(), flags.end(), key) != flags.end(); }
  std::string get(const std::string& key, const std::string& fallback = "") const {
    auto it = values.find(key);
    return it == values.end() ? fallback : it->second;
  }
};

const std::vector<std::string> kFlags = {"--check", "--ablations", "--skip-missing", "--quiet", "--help"};

[[noreturn]] void die(const std::string& message, int code = 2) {
  std::fprintf(stderr, "suggest-index: %s\n", message.c_str());
  std::exit(code);
}

Args parseArgs(int argc, char** argv) {
  Args args;
  if (argc < 2) die(std::string("missing command\n") + kUsage);
  args.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) == 0 && a.size() > 2) {
      auto eq = a.find('=');
      if (eq != std::string::npos) {
        args.values[a.substr(0, eq)] = a.substr(eq + 1);
      } else if (std::find(kFlags.begin(), kFlags.end(), a) != kFlags.end()) {
        args.flags.push_back(a);
      } else {
        if (i + 1 >= argc) die(a + " needs a value");
        args.values[a] = argv[++i];
      }
    } else {
      args.positional.push_back(a);
    }
  }
  return args;
}

double number(const Args& args, const std::string& key, double fallback, double min, double max) {
  if (!args.values.count(key)) return fallback;
  const std::string text = args.get(key);
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end || !(value >= min && value <= max))
    die(key + ": expected a number from " + std::to_string(min) + " to " + std::to_string(max) + ", got \"" + text + "\"");
  return value;
}

std::size_t bytesArg(const Args& args, const std::string& key) {
  if (!args.values.count(key)) return 0;
  std::string text = args.get(key);
  std::size_t scale = 1;
  if (!text.empty() && (text.back() == 'k' || text.back() == 'K')) scale = 1024, text.pop_back();
  else if (!text.empty() && (text.back() == 'm' || text.back() == 'M')) scale = 1024 * 1024, text.pop_back();
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end || !(value > 0)) die(key + ": expected a size such as 262144, 256k or 2m");
  return static_cast<std::size_t>(value * static_cast<double>(scale));
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ',')) out.push_back(part);
  return out;
}

std::int64_t dateArg(const Args& args, const std::string& key, const std::string& fallback) {
  const std::string text = args.get(key, fallback);
  auto parsed = si::parseTimestamp(text);
  if (!parsed) die(key + ": expected a date such as 2011-11-01, got \"" + text + "\"");
  return *parsed;
}

si::BuildOptions buildOptions(const Args& args) {
  si::BuildOptions o;
  si::LogSchema& s = o.schema;
  if (args.has("--preset")) {
    if (args.get("--preset") != "online-retail") die("--preset: the only preset is online-retail");
    s.itemPattern = "[0-9]{5}";
  }
  const std::pair<const char*, std::string*> columns[] = {
      {"--basket-column", &s.basket}, {"--item-column", &s.item},   {"--time-column", &s.time}, {"--quantity-column", &s.quantity},
      {"--event-column", &s.event},   {"--title-column", &s.title}, {"--price-column", &s.price},
      {"--sequence-column", &s.sequence}};
  for (const auto& [key, field] : columns)
    if (args.values.count(key)) {
      *field = args.get(key);
      if (!field->empty()) s.explicitColumns.push_back(*field);
    }
  if (args.values.count("--view-values")) s.viewValues = split(args.get("--view-values"));
  if (args.values.count("--purchase-values")) s.purchaseValues = split(args.get("--purchase-values"));
  if (args.values.count("--cancelled-prefix")) s.cancelledPrefix = args.get("--cancelled-prefix");
  if (args.values.count("--item-pattern")) s.itemPattern = args.get("--item-pattern");
  if (args.values.count("--date-order")) {
    const std::string order = args.get("--date-order");
    if (order != "mdy" && order != "dmy") die("--date-order: expected mdy or dmy");
    s.dateOrder = order == "dmy" ? si::DateOrder::DayFirst : si::DateOrder::MonthFirst;
  }
  if (args.values.count("--delimiter")) {
    const std::string d = args.get("--delimiter");
    o.delimiter = d == "\\t" || d == "tab" ? '\t' : d.size() == 1 ? d[0] : (die("--delimiter: one character"), ',');
  }
  o.maxOpenBaskets = static_cast<std::size_t>(number(args, "--max-open-baskets", 10000, 1, 1e8));
  o.window = static_cast<std::size_t>(number(args, "--window", 5, 1, 100));
  o.cooccurrence.halfLifeDays = number(args, "--half-life-days", 60, 0, 1e5);
  o.cooccurrence.sizeExponent = number(args, "--size-exponent", 0.5, 0, 2);
  o.cooccurrence.maxBasket = static_cast<std::size_t>(number(args, "--max-basket", 500, 2, 1e6));
  o.cooccurrence.maxPairs = static_cast<std::size_t>(number(args, "--max-pairs", 4000000, 1024, 1e9));
  o.similarity.alpha = number(args, "--alpha", 0.5, 0, 1);
  o.similarity.shrink = number(args, "--shrink", 2, 0, 1e6);
  o.similarity.minSupport = static_cast<std::uint32_t>(number(args, "--min-support", 2, 1, 1e6));
  o.similarity.ruleMinSupport = static_cast<std::uint32_t>(number(args, "--rule-min-support", 1, 1, 1e6));
  o.similarity.k = static_cast<unsigned>(number(args, "--k", 24, 1, 255));
  o.catalogVersion = args.get("--catalog-version");
  o.maxBytes = bytesArg(args, "--max-bytes");
  o.maxUnreadableShare = number(args, "--max-unreadable", 5, 0, 100) / 100;
  return o;
}

std::string basename(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string withCommas(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

long peakMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  if (!out) die("cannot write " + path);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) die("writing " + path + " failed");
}

std::string skippedSummary(const si::LogStats& s) {
  std::string out;
  auto part = [&](std::size_t n, const char* what) {
    if (n) out += (out.empty() ? "" : ", ") + withCommas(n) + " " + what;
  };
  part(s.cancelled, "in cancelled orders");
  part(s.returns, "returns (quantity <= 0)");
  part(s.nonProducts, "non-product codes");
  part(s.shortRows, "short rows");
  part(s.badTime, "unreadable times");
  part(s.badQuantity, "unreadable quantities");
  part(s.empty, "without basket or item");
  part(s.otherEvents, "other event types");
  if (s.firstBadLine) out += " (first unreadable line: " + std::to_string(s.firstBadLine) + ")";
  return out.empty() ? "none" : out;
}

cartkeep::Result<cartkeep::Catalog> loadCatalog(const std::string& path) {
  CARTKEEP_TRY_ASSIGN(nlohmann::json root, cartkeep::json_fields::parse(readFile(path), path));
  const nlohmann::json* products = &root;
  if (root.is_object() && root.contains("catalog")) products = &root["catalog"];
  std::string currency = "GBP";
  if (products->is_array() && !products->empty() && (*products)[0].is_object() && (*products)[0].contains("currency") &&
      (*products)[0]["currency"].is_string())
    currency = (*products)[0]["currency"].get<std::string>();
  return cartkeep::Catalog::fromJson(*products, currency, path);
}

void printCoverage(const cartkeep::ItemIndex& index, const std::string& catalogPath) {
  auto catalog = loadCatalog(catalogPath);
  if (!catalog) die(catalog.error().describe());
  std::size_t matched = 0, withNeighbours = 0;
  std::string missing;
  for (const auto& p : catalog.value().products()) {
    if (auto item = index.find(p.id)) {
      ++matched;
      auto range = index.neighbours(*item, cartkeep::NeighbourKind::Bought);
      std::size_t inCatalog = 0;
      for (std::size_t e = 0; e < range.size; ++e) inCatalog += catalog.value().find(index.id(range.items[e])) != nullptr;
      withNeighbours += inCatalog > 0;
    } else if (missing.size() < 80) {
      missing += (missing.empty() ? "" : ", ") + p.id;
    }
  }
  std::printf("catalog %s: %zu of %zu products in the index (%zu%%), %zu with bought-together neighbours inside the catalog\n",
              catalogPath.c_str(), matched, catalog.value().size(), catalog.value().size() ? matched * 100 / catalog.value().size() : 0,
              withNeighbours);
  if (!missing.empty()) std::printf("  not in the index: %s%s\n", missing.c_str(), missing.size() >= 80 ? ", ..." : "");
}

int commandBuild(const Args& args) {
  if (args.positional.size() != 1) die("build: give one LOG file");
  if (!args.has("--out")) die("build: --out FILE is required");
  const auto start = Clock::now();
  si::BuildOptions options = buildOptions(args);
  const std::string input = args.positional[0];
  options.source = args.get("--source", basename(input));
  if (args.has("--until")) options.until = dateArg(args, "--until", "");
  if (args.has("--only-catalog")) {
    auto catalog = loadCatalog(args.get("--only-catalog"));
    if (!catalog) die(catalog.error().describe());
    for (const auto& p : catalog.value().products()) options.onlyItems.push_back(p.id);
    if (options.onlyItems.empty()) die("--only-catalog: the catalog has no products");
  }
  auto data = si::collect(input, options, false);
  if (!data) die(data.error().describe(), 1);
  auto index = si::buildIndex(data.value(), options);
  if (!index) die(index.error().describe(), 1);
  // What the browser will do: parse it back before anyone ships it.
  auto check = cartkeep::ItemIndex::parse(index.value().bytes, args.get("--out"));
  if (!check) die("the written index does not validate: " + check.error().describe(), 1);
  writeFile(args.get("--out"), index.value().bytes);
  const auto& built = index.value().report;
  if (options.maxBytes && built.neighbours < options.similarity.k)  // said even with --quiet: quality drops
    std::fprintf(stderr, "suggest-index: warning: the budget of %s bytes cut K from %u to %u neighbours per item (%s edges dropped)\n",
                 withCommas(options.maxBytes).c_str(), options.similarity.k, built.neighbours, withCommas(built.droppedEdges).c_str());
  if (built.scoreBits < 8)
    std::fprintf(stderr, "suggest-index: note: within the budget of %s bytes scores are stored in %u bits (of 8)\n",
                 withCommas(options.maxBytes).c_str(), built.scoreBits);
  if (options.maxBytes && built.viewedEdges == 0 && data.value().viewed.pairs() > 0)
    std::fprintf(stderr, "suggest-index: warning: within the budget, viewed-together neighbours were left out: the viewed-next "
                         "rules, from the same sessions, take their bytes\n");
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!args.has("--quiet")) {
    const auto& d = data.value();
    const auto& r = index.value().report;
    std::printf("read %s records (%s bytes) from %s: %s used; skipped %s\n", withCommas(d.read.stats.records).c_str(),
                withCommas(d.read.bytes).c_str(), input.c_str(), withCommas(d.read.stats.used).c_str(), skippedSummary(d.read.stats).c_str());
    std::printf("baskets: %s orders, %s view sessions (%s reopened, at most %s open); %s larger than --max-basket\n",
                withCommas(d.bought.basketCount()).c_str(), withCommas(d.viewed.basketCount()).c_str(), withCommas(d.reopened).c_str(),
                withCommas(d.peakOpen).c_str(), withCommas(d.bought.skippedLarge()).c_str());
    std::printf("pairs: %s bought together (table %s MB, %zu prunes dropping %s pairs), %s viewed together\n",
                withCommas(d.bought.pairs()).c_str(), withCommas(d.bought.tableBytes() >> 20).c_str(), d.bought.prunes(),
                withCommas(d.bought.prunedPairs()).c_str(), withCommas(d.viewed.pairs()).c_str());
    std::printf("index: %s, %s bytes%s, %s items (%s ids), K = %u, %s bought-together + %s viewed-together + %s viewed-next edges (%s dropped)\n",
                args.get("--out").c_str(), withCommas(r.bytes).c_str(),
                options.maxBytes ? (" (budget " + withCommas(options.maxBytes) + ")").c_str() : "",
                withCommas(check.value().size()).c_str(), r.decimalIds ? "decimal" : "text", r.neighbours, withCommas(r.boughtEdges).c_str(),
                withCommas(r.viewedEdges).c_str(), withCommas(r.nextEdges).c_str(), withCommas(r.droppedEdges).c_str());
    std::printf("catalog version \"%s\", ids fingerprint %s, events %s .. %s\n", options.catalogVersion.c_str(),
                cartkeep::index_format::hex(r.fingerprint, 16).c_str(), si::formatDate(check.value().metadata().firstEvent).c_str(),
                si::formatDate(check.value().metadata().lastEvent).c_str());
    std::printf("time %.2f s, peak memory %ld MB\n", seconds, peakMegabytes());
  }
  if (args.has("--catalog") || args.has("--only-catalog"))
    printCoverage(check.value(), args.get("--catalog", args.get("--only-catalog")));
  return 0;
}

// K per item: how many neighbours each item actually has, per kind (an index cut by a budget shows here).
void printNeighbourCounts(const cartkeep::ItemIndex& index) {
  for (auto kind : cartkeep::kNeighbourKinds) {
    std::vector<std::size_t> counts(index.size());
    std::size_t total = 0;
    for (std::uint32_t item = 0; item < index.size(); ++item) total += counts[item] = index.neighbours(item, kind).size;
    if (!total) continue;
    std::sort(counts.begin(), counts.end());
    const auto atK = static_cast<std::size_t>(std::count(counts.begin(), counts.end(), index.metadata().maxNeighbours));
    const auto none = static_cast<std::size_t>(std::count(counts.begin(), counts.end(), std::size_t{0}));
    std::printf("  %s neighbours per item: median %zu, mean %.1f, max %zu; %s items at K, %s with none\n",
                cartkeep::neighbourKindName(kind), counts[counts.size() / 2], static_cast<double>(total) / static_cast<double>(counts.size()),
                counts.back(), withCommas(atK).c_str(), withCommas(none).c_str());
  }
}

int commandInspect(const Args& args) {
  if (args.positional.size() != 1) die("inspect: give one index file");
  const std::string path = args.positional[0];
  auto index = cartkeep::ItemIndex::parse(readFile(path), path);
  if (!index) die(index.error().describe(), 1);
  const auto& i = index.value();
  const auto& m = i.metadata();
  std::printf("%s: CartKeep item index, format %u, %s bytes, %u-bit scores\n", path.c_str(), m.version, withCommas(m.bytes).c_str(),
              m.scoreBits);
  std::printf("  catalog version \"%s\", source \"%s\", events %s .. %s\n", m.catalogVersion.c_str(), m.source.c_str(),
              si::formatDate(m.firstEvent).c_str(), si::formatDate(m.lastEvent).c_str());
  std::printf("  %s items, K = %u, %s bought-together, %s viewed-together and %s viewed-next edges, ids fingerprint %s\n",
              withCommas(i.size()).c_str(), m.maxNeighbours, withCommas(i.edgeCount(cartkeep::NeighbourKind::Bought)).c_str(),
              withCommas(i.edgeCount(cartkeep::NeighbourKind::Viewed)).c_str(), withCommas(i.edgeCount(cartkeep::NeighbourKind::Next)).c_str(),
              cartkeep::index_format::hex(m.fingerprint, 16).c_str());
  printNeighbourCounts(i);
  std::uint32_t top = 0;
  for (std::uint32_t k = 0; k < i.size(); ++k)
    if (i.popularityRaw(k) > i.popularityRaw(top)) top = k;
  if (i.size()) {
    std::printf("  most popular: %s", i.id(top).c_str());
    for (auto kind : cartkeep::kNeighbourKinds) {  // its first list that has any (a click log has no bought-together)
      auto range = i.neighbours(top, kind);
      if (!range.size) continue;
      std::printf("; its %s neighbours:", cartkeep::neighbourKindName(kind));
      for (std::size_t e = 0; e < range.size && e < 8; ++e)
        std::printf(" %s (%.3f)", i.id(range.items[e]).c_str(), cartkeep::index_format::decodeScore(range.qs[e]));
      break;
    }
    std::printf("\n");
  }
  if (args.has("--catalog")) printCoverage(i, args.get("--catalog"));
  return 0;
}

int commandEval(const Args& args) {
  if (args.positional.size() != 1) die("eval: give one LOG file");
  const std::string input = args.positional[0];
  if (args.has("--skip-missing") && input != "-" && !std::ifstream(input).good()) {
    std::printf("SKIPPED: the log %s does not exist (the evaluation needs the UCI Online Retail data set)\n", input.c_str());
    return 77;
  }
  const auto start = Clock::now();
  si::BuildOptions build = buildOptions(args);
  build.source = basename(input);
  build.until = dateArg(args, "--split", "2011-11-01");
  si::EvalOptions options;
  const std::string hide = args.get("--hide", "random");
  if (hide == "random") options.hide = si::HideMode::Random;
  else if (hide == "last") options.hide = si::HideMode::Last;
  else if (hide == "all") options.hide = si::HideMode::All;
  else die("--hide: expected random, last or all");
  options.seed = static_cast<std::uint64_t>(number(args, "--seed", 42, 0, 1e18));
  options.cutoff = static_cast<std::size_t>(number(args, "--cutoff", 10, 1, 1000));
  options.ablations = args.has("--ablations");
  auto& c = options.config;
  c.neighboursWeight = number(args, "--w-neighbours", c.neighboursWeight * 100, 0, 1000) / 100;
  c.viewedTogetherWeight = number(args, "--w-viewed", c.viewedTogetherWeight * 100, 0, 1000) / 100;
  c.viewedNextWeight = number(args, "--w-next", c.viewedNextWeight * 100, 0, 1000) / 100;
  c.contentWeight = number(args, "--w-content", c.contentWeight * 100, 0, 1000) / 100;
  c.popularityWeight = number(args, "--w-popularity", c.popularityWeight * 100, 0, 1000) / 100;
  auto& p = options.params;
  p.popularityExponent = number(args, "--pop-exponent", p.popularityExponent, 0.25, 1);
  if (p.popularityExponent != 1 && p.popularityExponent != 0.5 && p.popularityExponent != 0.25) die("--pop-exponent: 1, 0.5 or 0.25");
  p.secondStepShare = number(args, "--second-step", p.secondStepShare * 100, 0, 1000) / 100;
  p.siblingShare = number(args, "--sibling", p.siblingShare * 100, 0, 1000) / 100;
  p.tagShare = number(args, "--tag-share", p.tagShare, 0, 1);
  p.categoryShare = number(args, "--category-share", p.categoryShare, 0, 1);
  p.priceShare = number(args, "--price-share", p.priceShare, 0, 1);
  p.maxTagShare = number(args, "--max-tag-share", p.maxTagShare, 0, 1);

  const std::string protocol = args.get("--protocol", "hide-one");
  if (protocol != "hide-one" && protocol != "next" && protocol != "both") die("--protocol: expected hide-one, next or both");
  si::NextEventOptions nextOptions;
  nextOptions.config = options.config;
  nextOptions.params = options.params;
  nextOptions.maxQueries = static_cast<std::size_t>(number(args, "--max-queries", 0, 0, 1e9));

  auto data = si::collect(input, build, true);
  if (!data) die(data.error().describe(), 1);
  const double readSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%s: %s records read in %.2f s (skipped %s)\n", input.c_str(), withCommas(data.value().read.stats.records).c_str(), readSeconds,
              skippedSummary(data.value().read.stats).c_str());
  nlohmann::json nextJson = nullptr;
  bool nextBeats = true;
  if (protocol != "hide-one") {
    if (data.value().testSequences.empty())
      die("--protocol next: no test sequence of 2+ events after the split (a log of view sessions, or --sequence-column)", 1);
    auto next = si::evaluateNextEvent(data.value(), build, nextOptions);
    if (!next) die(next.error().describe(), 1);
    const auto& r = next.value();
    std::printf("%s", si::formatNextEventReport(r).c_str());
    nextJson = {{"trainSequences", r.trainSequences}, {"testSequences", r.testSequences}, {"queries", r.queries},
                {"unreachable", r.unreachable}, {"candidates", r.catalog}, {"indexBytes", r.indexBytes}, {"indexK", r.indexK},
                {"methods", nlohmann::json::array()}};
    for (const auto& m : r.methods)
      nextJson["methods"].push_back({{"name", m.name}, {"hr10", m.hitRate(10)}, {"mrr10", m.mrr(10)}, {"hr20", m.hitRate(20)},
                                     {"mrr20", m.mrr(20)}, {"seconds", m.seconds}, {"p95Micros", m.p95Micros()}});
    // The target: one CartKeep placement 20 % above last-item co-occurrence on both HR@20 and MRR@20. The best
    // placement is the one whose smaller lift of the two is largest.
    const auto& cooc = r.methods[1];
    auto lift = [](double ours, double theirs) { return theirs > 0 ? ours / theirs - 1 : 0.0; };
    const si::RankedResult* best = nullptr;
    double bestLift = 0;
    for (std::size_t i = 3; i < r.methods.size(); ++i) {
      const double smaller = std::min(lift(r.methods[i].hitRate(20), cooc.hitRate(20)), lift(r.methods[i].mrr(20), cooc.mrr(20)));
      if (!best || smaller > bestLift) best = &r.methods[i], bestLift = smaller;
    }
    nextBeats = bestLift >= 0.2;
    std::printf("%s vs co-occurrence with the last item: HR@20 %+.1f%%, MRR@20 %+.1f%% (target +20%% on both)\n", best->name.c_str(),
                100 * lift(best->hitRate(20), cooc.hitRate(20)), 100 * lift(best->mrr(20), cooc.mrr(20)));
    if (protocol == "next") {
      if (args.has("--json")) writeFile(args.get("--json"), nlohmann::json{{"split", si::formatDate(*build.until)}, {"next", nextJson}}.dump(2) + "\n");
      if (args.has("--check")) {
        std::printf("%s: CartKeep %s last-item co-occurrence by 20%% on HR@20 and MRR@20\n", nextBeats ? "PASS" : "FAIL",
                    nextBeats ? "beats" : "does not beat");
        return nextBeats ? 0 : 1;
      }
      return 0;
    }
    std::printf("\nhide-one protocol:\n");
  }
  auto report = si::evaluate(data.value(), build, options);
  if (!report) die(report.error().describe(), 1);
  const auto& r = report.value();
  std::printf("%s", si::formatReport(r, options.cutoff).c_str());
  std::printf("total %.2f s, peak memory %ld MB\n", std::chrono::duration<double>(Clock::now() - start).count(), peakMegabytes());
  if (args.has("--json")) {
    nlohmann::json out = {{"split", si::formatDate(*build.until)}, {"cutoff", options.cutoff}, {"queries", r.queries},
                          {"unreachable", r.unreachable}, {"trainOrders", r.trainBaskets}, {"testOrders", r.testBaskets},
                          {"candidates", r.catalog}, {"indexBytes", r.indexBytes}, {"indexK", r.indexK}, {"methods", nlohmann::json::array()}};
    for (const auto& m : r.methods)
      out["methods"].push_back({{"name", m.name}, {"hitRate", m.hitRate()}, {"mrr", m.mrr()}, {"hits", m.hits}, {"seconds", m.seconds}});
    if (!nextJson.is_null()) out["next"] = nextJson;
    writeFile(args.get("--json"), out.dump(2) + "\n");
  }
  if (args.has("--check")) {
    const auto& pop = r.methods[0];
    const auto& counts = r.methods[1];
    const auto& ours = r.methods[2];
    const bool beats = ours.hitRate() > pop.hitRate() && ours.hitRate() > counts.hitRate() && ours.mrr() > pop.mrr() &&
                       ours.mrr() > counts.mrr() && nextBeats;
    std::printf("%s: CartKeep %s both baselines on HR@%zu and MRR@%zu\n", beats ? "PASS" : "FAIL", beats ? "beats" : "does not beat",
                options.cutoff, options.cutoff);
    return beats ? 0 : 1;
  }
  return 0;
}

// A synthetic catalog and index for benchmarks: categories of related products, power-law popularity,
// neighbours mostly within the category. Deterministic for a seed.
int commandSynth(const Args& args) {
  const auto items = static_cast<std::size_t>(number(args, "--items", 100000, 1, cartkeep::index_format::kMaxItems));
  const auto k = static_cast<unsigned>(number(args, "--k", 24, 1, 255));
  const auto seed = static_cast<std::uint64_t>(number(args, "--seed", 7, 0, 1e18));
  if (!args.has("--out-index") || !args.has("--out-catalog")) die("synth: --out-index and --out-catalog are required");
  std::mt19937_64 random(seed);
  const std::size_t categories = std::max<std::size_t>(1, items / 400);
  static const char* kWords[] = {"red", "blue", "green", "vintage", "heart", "star", "retro", "floral", "spot", "stripe", "wooden",
                                 "metal", "glass", "paper", "jumbo", "mini", "garden", "kitchen", "party", "christmas", "candle",
                                 "lantern", "mug", "bag", "card", "box", "tin", "cake", "tea", "doormat", "clock", "sign"};
  constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);
  nlohmann::json catalog = nlohmann::json::array();
  cartkeep::IndexBuildInput input;
  input.catalogVersion = "synthetic-" + std::to_string(items);
  input.source = "suggest-index synth --seed " + std::to_string(seed);
  input.maxNeighbours = k;
  std::vector<std::size_t> categoryOf(items);
  std::vector<std::vector<std::uint32_t>> members(categories);
  for (std::size_t i = 0; i < items; ++i) {
    categoryOf[i] = random() % categories;
    members[categoryOf[i]].push_back(static_cast<std::uint32_t>(i));
  }
  for (std::size_t i = 0; i < items; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "S%06zu", i);
    std::vector<std::string> tags;
    const std::size_t c = categoryOf[i];
    tags.push_back(kWords[c % kWordCount]);
    for (int t = 0; t < 3; ++t) tags.push_back(kWords[random() % kWordCount] + std::string(t == 0 ? "" : "-") + (t == 0 ? "" : std::to_string(random() % 50)));
    const auto price = static_cast<std::int64_t>(50 + random() % 5000);
    catalog.push_back({{"id", id}, {"title", "Synthetic product " + std::to_string(i)}, {"price", price}, {"currency", "GBP"},
                       {"category", "Category " + std::to_string(c)}, {"tags", tags}, {"brand", "Brand " + std::to_string(c % 17)},
                       {"stock", (random() % 50 == 0) ? 0 : 100}});
    cartkeep::IndexBuildItem item;
    item.id = id;
    item.popularity = 1.0 / std::pow(static_cast<double>(i % 9973 + 1), 0.8);
    const auto& same = members[c];
    for (unsigned e = 0; e < k; ++e) {
      const bool inside = random() % 5 != 0 && same.size() > 1;
      const auto other = inside ? same[random() % same.size()] : static_cast<std::uint32_t>(random() % items);
      if (other == i) continue;
      if (std::any_of(item.bought.begin(), item.bought.end(), [&](const auto& b) { return b.first == other; })) continue;
      item.bought.emplace_back(other, 0.02 + 0.6 * static_cast<double>(random() % 1000) / 1000.0 / (1 + e));
    }
    input.items.push_back(std::move(item));
  }
  cartkeep::IndexBuildReport report;
  auto bytes = cartkeep::writeItemIndex(input, &report);
  if (!bytes) die(bytes.error().describe(), 1);
  writeFile(args.get("--out-index"), bytes.value());
  writeFile(args.get("--out-catalog"), catalog.dump() + "\n");
  std::printf("synthetic: %zu products in %zu categories; index %s bytes, K = %u, %s edges\n", items, categories,
              withCommas(report.bytes).c_str(), report.neighbours, withCommas(report.boughtEdges).c_str());
  return 0;
}

// A synthetic click log: sessions of 2-6 views over N products with a long tail of popularity, each click
// near the one before it (the next product is 1-5 places further), one session every 5 minutes from
// 2020-01-01. Deterministic for a seed; columns session,item,time,type.
int commandSynthLog(const Args& args) {
  const auto items = static_cast<std::size_t>(number(args, "--items", 3000, 2, 1e6));
  const auto sessions = static_cast<std::size_t>(number(args, "--sessions", 8000, 1, 1e7));
  const auto seed = static_cast<std::uint64_t>(number(args, "--seed", 11, 0, 1e18));
  if (!args.has("--out")) die("synth-log: --out FILE is required");
  std::mt19937_64 random(seed);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < items; ++i) ids.push_back(std::to_string(214500000 + i * 2731 + random() % 2000));
  std::string out = "session,item,time,type\n";
  const std::int64_t start = 1577836800;  // 2020-01-01
  for (std::size_t session = 0; session < sessions; ++session) {
    const std::size_t length = 2 + random() % 5;
    auto item = static_cast<std::size_t>(std::pow(static_cast<double>(random() % 1000000) / 1e6, 2.5) * static_cast<double>(items));
    for (std::size_t k = 0; k < length; ++k) {
      out += std::to_string(session) + "," + ids[item % items] + "," +
             std::to_string(start + static_cast<std::int64_t>(session) * 300 + static_cast<std::int64_t>(k) * 20) + ",view\n";
      item += 1 + random() % 5;
    }
  }
  writeFile(args.get("--out"), out);
  std::printf("synthetic click log: %zu sessions over %zu products, %s .. %s\n", sessions, items, si::formatDate(start).c_str(),
              si::formatDate(start + static_cast<std::int64_t>(sessions) * 300).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parseArgs(argc, argv);
  if (args.command == "--help" || args.command == "help" || args.has("--help")) {
    std::printf("%s", kUsage);
    return 0;
  }
  if (args.command == "build") return commandBuild(args);
  if (args.command == "eval") return commandEval(args);
  if (args.command == "inspect") return commandInspect(args);
  if (args.command == "synth") return commandSynth(args);
  if (args.command == "synth-log") return commandSynthLog(args);
  die("unknown command \"" + args.command + "\"\n" + kUsage);
}
