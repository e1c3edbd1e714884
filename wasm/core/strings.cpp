#include "cartkeep/strings.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "cartkeep/json_fields.hpp"

namespace cartkeep {
namespace jf = json_fields;

namespace {

struct Entry {
  const char* key;
  const char* english;
  const char* arabic;
};

// Plural keys end in a CLDR category; a merchant may add any category the language uses.
constexpr std::array<std::string_view, 6> kPluralCategories{"zero", "one", "two", "few", "many", "other"};
constexpr std::array<std::string_view, 1> kPluralKeys{"cart.count"};

constexpr Entry kEntries[] = {
    {"cart.title", "Your cart", "سلة التسوق"},
    {"cart.empty", "Your cart is empty", "سلة التسوق فارغة"},
    {"cart.subtotal", "Subtotal", "المجموع الفرعي"},
    {"cart.checkout", "Checkout", "إتمام الشراء"},
    {"cart.remove", "Remove {title}", "إزالة {title}"},
    {"cart.increase", "Increase quantity of {title}", "زيادة كمية {title}"},
    {"cart.decrease", "Decrease quantity of {title}", "تقليل كمية {title}"},
    {"cart.quantity", "Quantity of {title}", "كمية {title}"},
    {"cart.added", "{title} added to your cart", "تمت إضافة {title} إلى سلة التسوق"},
    {"cart.count.zero", "{count} items", "لا توجد منتجات"},
    {"cart.count.one", "{count} item", "منتج واحد"},
    {"cart.count.two", "{count} items", "منتجان"},
    {"cart.count.few", "{count} items", "{count} منتجات"},
    {"cart.count.many", "{count} items", "{count} منتجًا"},
    {"cart.count.other", "{count} items", "{count} منتج"},
    {"errors.unknown-product", "This product is no longer available.", "هذا المنتج لم يعد متوفرًا."},
    {"errors.out-of-stock", "Sorry, there are no more of {title} in stock.",
     "عذرًا، لا تتوفر كمية إضافية من {title} في المخزون."},
    {"errors.quantity-limit", "You have reached the limit for {title}.",
     "لقد بلغت الحد الأقصى المسموح به من {title}."},
    {"errors.generic", "Something went wrong. Please try again.", "حدث خطأ ما. يرجى المحاولة مرة أخرى."},
};

bool isArabic(const std::string& locale) {
  return locale.size() >= 2 && (locale[0] == 'a' || locale[0] == 'A') && (locale[1] == 'r' || locale[1] == 'R') &&
         (locale.size() == 2 || locale[2] == '-' || locale[2] == '_');
}

bool isKnownKey(const Strings& defaults, const std::string& key) {
  if (defaults.count(key)) return true;
  auto dot = key.rfind('.');
  if (dot == std::string::npos) return false;
  std::string_view base(key.data(), dot), category(key.data() + dot + 1);
  return std::find(kPluralKeys.begin(), kPluralKeys.end(), base) != kPluralKeys.end() &&
         std::find(kPluralCategories.begin(), kPluralCategories.end(), category) != kPluralCategories.end();
}

}  // namespace

Strings defaultStrings(const std::string& locale) {
  const bool arabic = isArabic(locale);
  Strings strings;
  for (const auto& entry : kEntries) strings.emplace(entry.key, arabic ? entry.arabic : entry.english);
  return strings;
}

Result<Strings> resolveStrings(const std::string& locale, const nlohmann::json* overrides,
                               const std::string& path) {
  Strings strings = defaultStrings(locale);
  if (!overrides || overrides->is_null()) return strings;
  CARTKEEP_TRY(jf::expectObject(*overrides, path, ErrorCode::InvalidOptions));
  for (const auto& item : overrides->items()) {
    const std::string at = jf::child(path, item.key());
    if (!isKnownKey(strings, item.key())) {
      std::string message = "unknown string key";
      // Point at the nearest key so a typo is found at once.
      std::string nearest;
      std::size_t bestShared = 0;
      for (const auto& known : strings) {
        std::size_t shared = 0;
        while (shared < known.first.size() && shared < item.key().size() &&
               known.first[shared] == item.key()[shared])
          ++shared;
        if (shared > bestShared) bestShared = shared, nearest = known.first;
      }
      if (bestShared >= 4) message += " (did you mean \"" + nearest + "\"?)";
      return jf::invalid(ErrorCode::InvalidOptions, at, message);
    }
    if (!item.value().is_string())
      return jf::invalid(ErrorCode::InvalidOptions, at, "expected a string, " + jf::describeValue(item.value()));
    const auto& text = item.value().get_ref<const std::string&>();
    if (text.size() > 2000) return jf::invalid(ErrorCode::InvalidOptions, at, "longer than 2000 bytes");
    strings[item.key()] = text;
  }
  return strings;
}

}  // namespace cartkeep
