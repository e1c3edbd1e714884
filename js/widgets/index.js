// Registers every <cartkeep-*> element once per page.
import { defineElement } from './base-element.js';
import { CartCountElement } from './cart-count.js';
import { CartViewElement } from './cart-view.js';
import { CostPreviewElement } from './cost-preview.js';
import { DestinationPickerElement } from './destination-picker.js';
import { ResumeBannerElement } from './resume-banner.js';
import { SaveStatusElement } from './save-status.js';
import { ShareCartElement } from './share-cart.js';
import { ShippingBarElement } from './shipping-bar.js';
import { SuggestionsElement } from './suggestions.js';

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
