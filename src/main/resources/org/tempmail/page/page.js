// The offline page: the addresses of the days still valid, made in the browser by mint.js (included above).
(function () {
    const settings = TEMPMAIL_PAGE_SETTINGS;
    const storageKey = "tempmail-secret@" + settings.domain;
    const element = (id) => document.getElementById(id);
    const secretField = element("secret");
    const remember = element("remember");
    let shownDay = null;

    // Local storage can be refused (private modes, some file:// pages): the page then works without it.
    function stored() {
        try {
            return localStorage.getItem(storageKey);
        } catch (refused) {
            return null;
        }
    }

    function store(secret) {
        try {
            if (secret === null) {
                localStorage.removeItem(storageKey);
            } else {
                localStorage.setItem(storageKey, secret);
            }
        } catch (refused) {
            showProblem("This browser does not let the page remember the secret.");
        }
    }

    function showProblem(text) {
        element("problem").textContent = text;
        element("problem").hidden = !text;
    }

    function longDate(day) {
        return new Date(day + "T12:00:00Z").toLocaleDateString(undefined,
            { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" });
    }

    function label(back) {
        return back === 0 ? "Today" : back === 1 ? "Yesterday" : back + " days ago";
    }

    async function copy(text, button) {
        try {
            await navigator.clipboard.writeText(text);
            button.textContent = "Copied";
        } catch (refused) {
            button.textContent = "Select it";
        }
        setTimeout(() => { button.textContent = "Copy"; }, 2000);
    }

    async function show() {
        const list = element("addresses");
        const secret = secretField.value;
        const now = new Date();
        shownDay = TempmailMint.dayInZone(settings.timeZone, now);
        element("clock").textContent = "Days start at midnight in " + settings.timeZone + ", where it is now "
            + now.toLocaleString(undefined, { timeZone: settings.timeZone, weekday: "short", hour: "2-digit",
                minute: "2-digit" }) + ".";
        if (!secret) {
            list.replaceChildren();
            return;
        }
        const items = [];
        for (let back = 0; back < settings.validDays; back++) {
            const day = TempmailMint.dayInZone(settings.timeZone, now, back);
            // The address of a day is valid through the end of the day VALID_DAYS - 1 after it.
            const lastDay = TempmailMint.dayInZone("UTC", new Date(day + "T12:00:00Z"), 1 - settings.validDays);
            const address = await TempmailMint.address({ secret, day, domain: settings.domain,
                length: settings.length, scheme: settings.scheme });
            const item = document.createElement("li");
            item.dataset.day = day;
            const when = document.createElement("div");
            when.className = "when";
            when.textContent = label(back) + ", " + longDate(day) + " · valid through " + longDate(lastDay);
            const row = document.createElement("div");
            row.className = "row";
            // The local part whole and bold, with room for a line break before the domain only.
            const text = document.createElement("span");
            text.className = "address";
            const localPart = document.createElement("strong");
            localPart.textContent = address.slice(0, address.indexOf("@"));
            text.append(localPart, document.createElement("wbr"), address.slice(address.indexOf("@")));
            const button = document.createElement("button");
            button.type = "button";
            button.className = "copy";
            button.textContent = "Copy";
            button.addEventListener("click", () => copy(address, button));
            row.append(text, button);
            item.append(when, row);
            items.push(item);
        }
        if (secretField.value === secret) {
            list.replaceChildren(...items);
        }
    }

    function refresh() {
        show().then(() => showProblem(""), (error) => showProblem(error.message));
    }

    secretField.addEventListener("input", () => {
        if (remember.checked) {
            store(secretField.value || null);
        }
        refresh();
    });
    remember.addEventListener("change", () => store(remember.checked && secretField.value ? secretField.value : null));
    element("reveal").addEventListener("change", () => {
        secretField.type = element("reveal").checked ? "text" : "password";
    });
    element("forget").addEventListener("click", () => {
        store(null);
        secretField.value = "";
        remember.checked = false;
        refresh();
        secretField.focus();
    });
    element("secret-form").addEventListener("submit", (event) => event.preventDefault());
    element("settings").textContent = "Settings: " + settings.domain + ", " + settings.scheme + ", length "
        + settings.length + ", valid for " + settings.validDays + " day" + (settings.validDays === 1 ? "" : "s")
        + ", days in " + settings.timeZone + ".";

    const kept = stored();
    if (kept) {
        secretField.value = kept;
        remember.checked = true;
    }
    refresh();
    // A page left open over midnight moves on to the new day by itself.
    setInterval(() => {
        if (TempmailMint.dayInZone(settings.timeZone) !== shownDay) {
            refresh();
        }
    }, 20000);
})();
