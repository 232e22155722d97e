/*
 * Lifeline webhook for Zabbix 6.0+ (media type "Lifeline", see lifeline_media_type.yaml).
 * Zabbix runs this in its Duktape engine as the body of a function whose argument `value` is the JSON
 * of the media type parameters: ES5 only (no let/const, arrow functions or template strings).
 * It posts the event as flat JSON to Lifeline's Zabbix intake with a Bearer key, and throws on any
 * answer other than 2xx so that Zabbix marks the alert as failed and retries it ("Attempts").
 */
var Lifeline = {
    // Parameters that configure the webhook itself and are never forwarded.
    settings: ['url', 'key', 'http_proxy'],

    // Zabbix leaves a macro it cannot resolve as literal text ("{EVENT.RECOVERY.ID}" in a problem
    // message, "{$ZABBIX.URL}" without the global macro); "*UNKNOWN*" stands for a missing item value.
    isUnresolved: function (text) {
        return typeof text !== 'string' || text === '' || text === '*UNKNOWN*' || /^\{[^{}\s]+\}$/.test(text);
    },

    // {EVENT.DATE} "2026.11.26" + {EVENT.TIME} "09:02:03", in the Zabbix server's time zone, to ISO 8601.
    toIsoTime: function (date, time) {
        var d = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(date || ''),
            t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time || ''),
            at;

        if (!d || !t) {
            return undefined;
        }
        at = new Date(+d[1], +d[2] - 1, +d[3], +t[1], +t[2], +t[3]);
        return isNaN(at.getTime()) ? undefined : at.toISOString();
    },

    // {EVENT.TAGSJSON}: [{"tag": "system", "value": "HIS"}, ...]
    parseTags: function (text) {
        try {
            var tags = JSON.parse(text);

            return Object.prototype.toString.call(tags) === '[object Array]' ? tags : undefined;
        }
        catch (error) {
            return undefined;
        }
    },

    buildBody: function (params) {
        var body = {},
            name,
            tags,
            timestamp;

        for (name in params) {
            if (Object.prototype.hasOwnProperty.call(params, name)
                    && Lifeline.settings.indexOf(name) === -1 && !Lifeline.isUnresolved(params[name])) {
                body[name] = params[name];
            }
        }
        if (typeof body.event_tags === 'string') {
            tags = Lifeline.parseTags(body.event_tags);
            if (tags) {
                body.event_tags = tags;
            }
        }
        if (body.event_value === '0') {
            timestamp = Lifeline.toIsoTime(body.event_recovery_date, body.event_recovery_time);
        }
        else if (body.event_update === '1') {
            timestamp = Lifeline.toIsoTime(body.event_update_date, body.event_update_time);
        }
        timestamp = timestamp || Lifeline.toIsoTime(body.event_date, body.event_time);
        if (timestamp) {
            body.timestamp = timestamp;
        }
        return body;
    },

    check: function (params, body) {
        if (typeof params.url !== 'string' || !/^https?:\/\/[^<>\s]+$/.test(params.url)) {
            throw 'parameter "url" must be the Lifeline intake URL, e.g. https://lifeline.example/api/v1/intake/zabbix';
        }
        if (typeof params.key !== 'string' || params.key === '' || /^</.test(params.key)) {
            throw 'parameter "key" must be the Lifeline intake key of this source';
        }
        if (!body.event_id || (body.event_value !== '0' && body.event_value !== '1')) {
            throw 'event_id and event_value (0 or 1) are required: is this media type used by a trigger action?';
        }
    },

    send: function (params, body) {
        var request = new HttpRequest(),
            response,
            status;

        request.addHeader('Content-Type: application/json');
        request.addHeader('Authorization: Bearer ' + params.key);
        if (typeof params.http_proxy === 'string' && params.http_proxy.trim() !== '') {
            request.setProxy(params.http_proxy.trim());
        }
        response = request.post(params.url, JSON.stringify(body));
        status = request.getStatus();
        if (status < 200 || status >= 300) {
            throw 'Lifeline answered HTTP ' + status + ': ' + String(response).substring(0, 500);
        }
        return response;
    }
};

try {
    var params = JSON.parse(value),
        body = Lifeline.buildBody(params);

    Lifeline.check(params, body);
    Zabbix.log(4, '[Lifeline webhook] sending event ' + body.event_id + ' (value ' + body.event_value + ')');
    Lifeline.send(params, body);
    return 'OK';
}
catch (error) {
    Zabbix.log(3, '[Lifeline webhook] notification failed: ' + error);
    throw 'Lifeline notification failed: ' + error;
}
