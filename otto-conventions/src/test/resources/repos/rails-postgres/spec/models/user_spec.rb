RSpec.describe User do; end
