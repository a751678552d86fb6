// STUB: replaced by the real command.
import {notYet} from './not-yet.js';

export default notYet('nomenclature');
