/**
 * Where incident events go (issue 9's contract): events on this topic, each
 * device's current state retained under it (`<topic>/<line>/<device>`). Read
 * by the dashboard, the metrics and the ACL; replaced by config.topics.incidents
 * when that setting lands.
 */
export const INCIDENTS_TOPIC = 'factory/incidents';
