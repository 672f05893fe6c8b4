/**
 * The one table from the option keys lower layers use (SettingError.setting,
 * `{key}` placeholders in their messages) to the environment variables an
 * operator sets. Lower layers never name a variable; this is where they get one.
 */
export const SETTING_VARIABLES: Readonly<Record<string, string>> = {
  'listen.mqtt.port': 'MQTT_PORT',
  'listen.ws.port': 'MQTT_WS_PORT',
  'listen.mqtts.port': 'MQTT_TLS_PORT',
  'listen.http.port': 'HTTP_PORT',
  'broker.host': 'MQTT_HOST',
  'broker.authFile': 'MQTT_AUTH_FILE',
  'broker.allowAnonymous': 'MQTT_ALLOW_ANONYMOUS',
  'broker.tls.certFile': 'MQTT_TLS_CERT',
  'broker.tls.keyFile': 'MQTT_TLS_KEY',
  'broker.tls.caFile': 'MQTT_TLS_CA',
  'broker.store': 'BROKER_STORE',
  'mqtt.url': 'MQTT_URL',
  'mqtt.username': 'MQTT_USERNAME',
  'mqtt.password': 'MQTT_PASSWORD',
  'mqtt.clientId': 'MQTT_CLIENT_ID',
  'model.path': 'MODEL_PATH',
  'model.dir': 'MODEL_DIR',
  'sensors.fields': 'SENSORS',
  'sensors.schema': 'SENSOR_SCHEMA',
  'http.token': 'HTTP_TOKEN',
  // Issue 11: scale-out
  'mqtt.protocolVersion': 'MQTT_PROTOCOL_VERSION',
  'mqtt.clientTls.caFile': 'MQTT_CLIENT_CA',
  'mqtt.clientTls.certFile': 'MQTT_CLIENT_CERT',
  'mqtt.clientTls.keyFile': 'MQTT_CLIENT_KEY',
  'worker.id': 'WORKER_ID',
  'worker.group': 'WORKER_GROUP',
  'worker.partition': 'WORKER_PARTITION',
  'broker.redisUrl': 'BROKER_REDIS_URL',
  'deviceState.redisUrl': 'DEVICE_STATE_REDIS_URL',
  // Issue 9: simulator
  'simulator.load.sensors': 'SIMULATOR_LOAD_SENSORS',
  'simulator.faults.kinds': 'SIMULATOR_FAULT_KINDS',
};

/** The variable behind a setting key; the key itself when none is mapped. */
export function variableOf(setting: string): string {
  return SETTING_VARIABLES[setting] ?? setting;
}
