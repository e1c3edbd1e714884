#include "store/strings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "base/json_fields.hpp"

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
    {"cart.continueShopping", "Continue shopping", "متابعة التسوق"},
    {"cart.subtotal", "Subtotal", "المجموع الفرعي"},
    {"cart.checkout", "Checkout", "إتمام الشراء"},
    {"cart.remove", "Remove", "إزالة"},
    {"cart.removeItem", "Remove {title} from your cart", "إزالة {title} من سلة التسوق"},
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
    // Nudge dialog (behaviour: docs/behaviour.md).
    {"nudge.close", "Close", "إغلاق"},
    {"nudge.dismiss", "No thanks", "لا، شكرًا"},
    {"nudge.continue", "Continue to checkout", "متابعة إتمام الشراء"},
    {"nudge.reassurance.title", "Before you go", "قبل أن تغادر"},
    {"nudge.reassurance.body", "Your cart is saved and ready when you are.", "سلتك محفوظة وجاهزة متى شئت."},
    {"nudge.reassurance.total", "Total with delivery: {total}", "الإجمالي مع التوصيل: {total}"},
    {"nudge.reassurance.subtotal", "Cart total: {total}", "إجمالي السلة: {total}"},
    {"nudge.reassurance.delivery", "Arrives by {date}", "يصل بحلول {date}"},
    {"nudge.reassurance.returns", "Free returns within {days} days", "إرجاع مجاني خلال {days} يومًا"},
    {"nudge.save.title", "Save your cart for later", "احفظ سلتك لوقت لاحق"},
    {"nudge.save.body", "Keep this link to come back to your cart on any device.",
     "احتفظ بهذا الرابط للعودة إلى سلتك من أي جهاز."},
    {"nudge.save.link", "Your cart link", "رابط سلتك"},
    {"nudge.save.copy", "Copy link", "نسخ الرابط"},
    {"nudge.save.copied", "Link copied", "تم نسخ الرابط"},
    {"nudge.coupon.title", "{discount} off if you order now", "خصم {discount} إذا طلبت الآن"},
    {"nudge.coupon.body", "Continue and the discount is taken off your order.", "تابع وسيُخصم المبلغ من طلبك."},
    {"nudge.coupon.bodyCheckout", "Apply it and the discount is taken off this order.", "طبّقه وسيُخصم المبلغ من هذا الطلب."},
    {"nudge.coupon.code", "Code: {code}", "الرمز: {code}"},
    {"nudge.coupon.countdown", "Expires in {time}", "ينتهي خلال {time}"},
    {"nudge.coupon.expired", "This offer has expired", "انتهت صلاحية هذا العرض"},
    {"nudge.coupon.copy", "Apply code and check out", "طبّق الرمز وأكمل الشراء"},
    {"nudge.coupon.apply", "Apply code", "طبّق الرمز"},
    {"nudge.coupon.copied", "Code copied", "تم نسخ الرمز"},
    {"nudge.coupon.applied", "Code {code} applied", "تم تطبيق الرمز {code}"},
    {"nudge.help.title", "Can we help?", "هل يمكننا المساعدة؟"},
    {"nudge.help.body", "Questions about sizes, delivery or payment? Talk to us.",
     "لديك أسئلة حول المقاسات أو التوصيل أو الدفع؟ تحدث إلينا."},
    {"nudge.help.chat", "Chat with us", "تحدث معنا"},
    {"nudge.help.whatsapp", "WhatsApp", "واتساب"},
    {"nudge.help.phone", "Call {phone}", "اتصل على {phone}"},
    {"nudge.help.email", "Email us", "راسلنا"},
    // Quote: totals, shipping, tax, coupons, delivery (issue 4). {amount}s are formatted money.
    {"quote.subtotal", "Subtotal", "المجموع الفرعي"},
    {"quote.discount", "Discount ({code})", "الخصم ({code})"},
    {"quote.shipping", "Shipping ({method})", "الشحن ({method})"},
    {"quote.surcharge", "Surcharge: {label}", "رسوم إضافية: {label}"},
    {"quote.fee", "{name}", "{name}"},
    {"quote.tax", "Tax ({rate})", "الضريبة ({rate})"},
    {"quote.taxIncluded", "Includes tax ({rate})", "شامل الضريبة ({rate})"},
    {"quote.total", "Total", "الإجمالي"},
    {"quote.free", "Free", "مجانًا"},
    {"quote.methods", "Delivery options", "خيارات التوصيل"},
    {"quote.methodUnavailable", "Not available for this order", "غير متاح لهذا الطلب"},
    {"quote.freeShipping.remaining", "Spend {amount} more for free shipping", "أضف {amount} لتحصل على شحن مجاني"},
    {"quote.freeShipping.reached", "You've unlocked free shipping", "حصلت على شحن مجاني"},
    {"quote.delivery.range", "Arrives {dates}", "يصل {dates}"},
    {"quote.delivery.on", "Arrives {date}", "يصل {date}"},
    {"quote.delivery.orderWithin", "Order within {time} to get it by {date}", "اطلب خلال {time} ليصلك بحلول {date}"},
    {"quote.delivery.why", "Dispatched {dispatch}: orders after {cutoff} or on a non-working day go out from the next working day.",
     "يُشحن {dispatch}: الطلبات بعد {cutoff} أو في يوم عطلة تُجهَّز من يوم العمل التالي."},
    {"quote.notShippable", "Sorry, we don't deliver to {destination} yet.", "عذرًا، لا نوصل إلى {destination} حاليًا."},
    {"quote.notShippableProducts", "{products} can't be delivered to {destination}.",
     "لا يمكن توصيل {products} إلى {destination}."},
    {"quote.noMethod", "No delivery option can take this order to {destination}.",
     "لا يتوفر خيار توصيل لهذا الطلب إلى {destination}."},
    {"quote.error", "We couldn't work out the total right now.", "تعذر حساب الإجمالي حاليًا."},
    {"preview.destination", "To {destination}", "إلى {destination}"},
    {"preview.shipping", "shipping {amount}", "الشحن {amount}"},
    {"preview.freeShipping", "free shipping", "شحن مجاني"},
    {"preview.taxIncluded", "tax included", "شامل الضريبة"},
    {"preview.taxExtra", "plus {amount} tax", "بالإضافة إلى ضريبة {amount}"},
    {"preview.total", "total {amount}", "الإجمالي {amount}"},
    {"coupon.label", "Discount code", "رمز الخصم"},
    {"coupon.apply", "Apply", "تطبيق"},
    {"coupon.remove", "Remove code {code}", "إزالة الرمز {code}"},
    {"coupon.applied", "{code} applied", "تم تطبيق الرمز {code}"},
    {"coupon.unknown", "{code} isn't a valid code.", "الرمز {code} غير صالح."},
    {"coupon.expired", "{code} has expired.", "انتهت صلاحية الرمز {code}."},
    {"coupon.notStarted", "{code} can be used from {date}.", "يمكن استخدام الرمز {code} اعتبارًا من {date}."},
    {"coupon.minSubtotal", "Spend {amount} more to use {code}.", "أضف {amount} لاستخدام الرمز {code}."},
    {"coupon.notEligible", "{code} doesn't apply to the items in your cart.", "الرمز {code} لا ينطبق على المنتجات في سلتك."},
    {"coupon.notEligibleMethod", "{code} doesn't apply to the chosen delivery option.",
     "الرمز {code} لا ينطبق على خيار التوصيل المختار."},
    {"coupon.notCombinable", "{code} can't be combined with {other}.", "لا يمكن الجمع بين الرمز {code} والرمز {other}."},
    {"picker.title", "Delivery destination", "وجهة التوصيل"},
    {"picker.country", "Country", "الدولة"},
    {"picker.postcode", "Postcode", "الرمز البريدي"},
    {"picker.save", "Update", "تحديث"},
    {"picker.postcodeInvalid", "That postcode doesn't look right for {country}. Please check it.",
     "لا يبدو هذا الرمز البريدي صحيحًا لـ {country}. يُرجى التحقق منه."},
    {"shippingBar.label", "Progress towards free shipping", "التقدم نحو الشحن المجاني"},
    // Events and KPIs (issue 8): funnel stage labels returned by instance.metrics().
    {"metrics.stage.sessions", "Sessions", "الجلسات"},
    {"metrics.stage.product", "Viewed a product", "شاهدوا منتجًا"},
    {"metrics.stage.cart", "Created a cart", "أنشأوا سلة"},
    {"metrics.stage.checkout", "Started checkout", "بدأوا إتمام الشراء"},
    {"metrics.stage.step", "Step: {step}", "الخطوة: {step}"},
    {"metrics.stage.purchase", "Purchased", "أتموا الشراء"},
    {"metrics.noData", "Not enough data", "لا توجد بيانات كافية"},
    // Persistence (issue 5): resume banner, re-pricing notices, save status, share. {items} is cart.count text.
    {"persist.banner.label", "Your saved cart", "سلتك المحفوظة"},
    {"persist.banner.welcome", "Welcome back: your cart, {items}, {total}, is saved.",
     "مرحبًا بعودتك: سلتك ({items}، {total}) محفوظة."},
    {"persist.banner.changes", "Your saved cart has changed since your last visit.",
     "تغيّرت سلتك المحفوظة منذ زيارتك الأخيرة."},
    {"persist.banner.link", "The items from your link are in your cart: {items}, {total}.",
     "أصبحت المنتجات من الرابط في سلتك: {items}، {total}."},
    {"persist.banner.link-invalid", "This cart link is damaged or incomplete, so nothing was added.",
     "رابط السلة هذا تالف أو غير مكتمل، لذلك لم تتم إضافة أي شيء."},
    {"persist.banner.resume", "Resume", "متابعة"},
    {"persist.banner.viewCart", "View your cart", "عرض سلتك"},
    {"persist.banner.dismiss", "Dismiss", "إغلاق"},
    {"persist.status.saved", "Your cart is saved on this device.", "سلتك محفوظة على هذا الجهاز."},
    {"persist.status.unsaved", "Cart not saved on this device", "لم تُحفظ السلة على هذا الجهاز"},
    {"persist.notice.price-changed", "{title}: price changed from {from} to {to}", "{title}: تغيّر السعر من {from} إلى {to}"},
    {"persist.notice.quantity-reduced.stock", "{title}: only {to} in stock, quantity changed from {from} to {to}",
     "{title}: المتوفر {to} فقط، فتغيّرت الكمية من {from} إلى {to}"},
    {"persist.notice.quantity-reduced.limit", "{title}: at most {to} per order, quantity changed from {from} to {to}",
     "{title}: الحد الأقصى {to} لكل طلب، فتغيّرت الكمية من {from} إلى {to}"},
    {"persist.notice.removed.unavailable", "{title} is no longer available and was removed",
     "{title} لم يعد متوفرًا وتمت إزالته"},
    {"persist.notice.removed.out-of-stock", "{title} is out of stock and was removed", "{title} نفد من المخزون وتمت إزالته"},
    {"persist.notice.removed.cart-full", "{title} was left out: the cart is full", "لم تتم إضافة {title}: السلة ممتلئة"},
    {"persist.notice.removed.overflow", "{title} was left out: the total would be too large",
     "لم تتم إضافة {title}: سيصبح المجموع كبيرًا جدًا"},
    {"persist.notice.link-unknown", "An item from the link ({id}) is not sold here and was left out",
     "منتج من الرابط ({id}) غير متوفر هنا ولم تتم إضافته"},
    {"persist.notice.link-item-invalid", "Part of the link could not be read and was left out",
     "تعذّرت قراءة جزء من الرابط فلم تتم إضافته"},
    {"persist.share.title", "Save or share your cart", "احفظ سلتك أو شاركها"},
    {"persist.share.link-label", "Link to your cart", "رابط سلتك"},
    {"persist.share.copy", "Copy link", "نسخ الرابط"},
    {"persist.share.copied", "Link copied", "تم نسخ الرابط"},
    {"persist.share.copy-failed", "Select the link and copy it", "حدّد الرابط وانسخه"},
    {"persist.share.email", "Email", "البريد الإلكتروني"},
    {"persist.share.whatsapp", "WhatsApp", "واتساب"},
    {"persist.share.subject", "My cart", "سلتي"},
    {"persist.share.message", "My cart: {items} ({total}). Continue here: {link}", "سلتي: {items} ({total}). تابع من هنا: {link}"},
    {"persist.share.line", "{quantity} × {title}", "{quantity} × {title}"},
    {"persist.share.more", "{count} more", "{count} غيرها"},
    {"persist.share.empty", "Your cart is empty: add something to save or share it.",
     "سلتك فارغة: أضف منتجًا لحفظها أو مشاركتها."},
    {"persist.share.too-long", "This cart is too large to share as a link.", "هذه السلة أكبر من أن تُشارك برابط."},
    {"persist.forget", "Forget my cart on this device", "احذف سلتي من هذا الجهاز"},
    {"persist.forgotten", "Your saved cart was removed from this device.", "تمت إزالة سلتك المحفوظة من هذا الجهاز."},
    // Suggestions (issue 7): widget headings, reasons ({title} is the product the reason points at), carousel.
    {"suggest.title.bought-together", "Frequently bought together", "يُشترى معًا غالبًا"},
    {"suggest.title.complete-order", "Complete your order", "أكمل طلبك"},
    {"suggest.title.free-shipping", "Reach free shipping: {amount} to go", "للحصول على الشحن المجاني: بقي {amount}"},
    {"suggest.title.picked-for-you", "Picked for you", "مختارات لك"},
    {"suggest.title.recently-viewed", "Recently viewed", "شاهدتها مؤخرًا"},
    {"suggest.reason.bought-together", "Often bought with {title}", "غالبًا ما يُشترى مع {title}"},
    {"suggest.reason.viewed", "Because you viewed {title}", "لأنك شاهدت {title}"},
    {"suggest.reason.purchased", "Goes with your {title}", "يناسب {title} الذي اشتريته"},
    {"suggest.reason.similar", "Similar to {title}", "مشابه لـ {title}"},
    {"suggest.reason.popular", "Popular right now", "رائج الآن"},
    {"suggest.reason.featured", "From our range", "من تشكيلتنا"},
    {"suggest.reason.pinned", "Recommended by us", "نوصي به"},
    {"suggest.reason.recently-viewed", "You viewed this", "شاهدت هذا المنتج"},
    {"suggest.add", "Add to cart", "أضف إلى السلة"},
    {"suggest.add-label", "Add {title} to cart", "أضف {title} إلى السلة"},
    {"suggest.sold-out", "Sold out", "نفدت الكمية"},
    {"suggest.previous", "Previous suggestions", "الاقتراحات السابقة"},
    {"suggest.next", "More suggestions", "مزيد من الاقتراحات"},
    {"suggest.carousel", "carousel", "عرض متتابع"},
    {"suggest.slide", "suggestion", "اقتراح"},
    {"suggest.position", "{position} of {count}", "{position} من {count}"},
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
    CARTKEEP_TRY_ASSIGN(auto text, localisedText(item.value(), locale, at));
    if (text) strings[item.key()] = std::move(*text);
  }
  return strings;
}

Result<std::optional<std::string>> localisedText(const nlohmann::json& value, const std::string& locale,
                                                 const std::string& path) {
  auto checked = [](const nlohmann::json& text, const std::string& at) -> Result<std::optional<std::string>> {
    if (!text.is_string())
      return jf::invalid(ErrorCode::InvalidOptions, at, "expected a string, " + jf::describeValue(text));
    const auto& s = text.get_ref<const std::string&>();
    if (s.size() > 2000) return jf::invalid(ErrorCode::InvalidOptions, at, "longer than 2000 bytes");
    return std::optional<std::string>(s);
  };
  if (!value.is_object()) return checked(value, path);
  // {"en": "...", "ar": "..."}: every entry is checked; the store locale's entry wins, then its language's.
  const std::string language = locale.substr(0, locale.find_first_of("-_"));
  auto sameTag = [](const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)) ||
                    ((x == '-' || x == '_') && (y == '-' || y == '_'));
           });
  };
  std::optional<std::string> exact, byLanguage;
  for (const auto& entry : value.items()) {
    const std::string at = jf::child(path, entry.key());
    if (entry.key().empty() || entry.key().size() > 64)
      return jf::invalid(ErrorCode::InvalidOptions, at, "expected a locale tag such as \"en\" or \"ar\"");
    CARTKEEP_TRY_ASSIGN(auto text, checked(entry.value(), at));
    if (sameTag(entry.key(), locale)) exact = std::move(text);
    else if (sameTag(entry.key(), language)) byLanguage = std::move(text);
  }
  return exact ? exact : byLanguage;
}

Result<std::string> readMerchantText(const nlohmann::json& object, const std::string& key, const std::string& path,
                                     const std::string& locale, const MerchantTextRule& rule) {
  const std::string at = jf::child(path, key);
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (rule.required) return jf::invalid(ErrorCode::InvalidOptions, at, "required, expected a string or {\"en\": ..., \"ar\": ...}");
    return std::string();
  }
  auto fits = [&](const nlohmann::json& text, const std::string& textAt) -> Status {
    if (!text.is_string()) return success();  // localisedText names the wrong type
    const auto size = text.get_ref<const std::string&>().size();
    if (rule.required && size == 0) return jf::invalid(ErrorCode::InvalidOptions, textAt, "expected a non-empty string");
    if (size > rule.maxBytes)
      return jf::invalid(ErrorCode::InvalidOptions, textAt, "longer than " + std::to_string(rule.maxBytes) + " bytes");
    return success();
  };
  if (found->is_object()) {
    if (found->empty()) return jf::invalid(ErrorCode::InvalidOptions, at, "expected at least one locale entry such as \"en\"");
    for (const auto& entry : found->items()) CARTKEEP_TRY(fits(entry.value(), jf::child(at, entry.key())));
  } else {
    CARTKEEP_TRY(fits(*found, at));
  }
  CARTKEEP_TRY_ASSIGN(auto text, localisedText(*found, locale, at));
  if (!text) {
    CARTKEEP_TRY_ASSIGN(text, localisedText(*found, "en", at));
  }
  if (!text)
    return jf::invalid(ErrorCode::InvalidOptions, at,
                       "no entry for the store locale " + nlohmann::json(locale).dump() + " nor \"en\"");
  return std::move(*text);
}

}  // namespace cartkeep
