// Registers every <cartkeep-*> element once per page.
import { defineElement } from '../platform/base-element.js';
import { CartCountElement } from '../store/cart-count-widget.js';
import { CartViewElement } from '../store/cart-widget.js';
import { CostPreviewElement } from '../quote/cost-preview-widget.js';
import { DestinationPickerElement } from '../quote/destination-picker-widget.js';
import { ResumeBannerElement } from '../persistence/resume-banner-widget.js';
import { SaveStatusElement } from '../persistence/save-status-widget.js';
import { ShareCartElement } from '../persistence/share-cart-widget.js';
import { ShippingBarElement } from '../quote/shipping-bar-widget.js';
import { SuggestionsElement } from '../suggest/suggestions-widget.js';

export function defineWidgets() {
  defineElement('cartkeep-cart-count', CartCountElement);
  defineElement('cartkeep-cart', CartViewElement);
  defineElement('cartkeep-cost-preview', CostPreviewElement);
  defineElement('cartkeep-shipping-bar', ShippingBarElement);
  defineElement('cartkeep-destination-picker', DestinationPickerElement);
  defineElement('cartkeep-suggestions', SuggestionsElement);
  defineElement('cartkeep-resume-banner', ResumeBannerElement);
  defineElement('cartkeep-share-cart', ShareCartElement);
  defineElement('cartkeep-save-status', SaveStatusElement);
}
